using StockNet.Cluster;
using StockNet.Protocol;

namespace StockNet.LoadClient.Targets;

/// <summary>
/// The front-end a run talks to: either one given by URL, or the front-end of a cluster started here on
/// free ports with its data in a fresh temporary folder, which disposing stops and deletes.
/// </summary>
public sealed class LoadTarget : IAsyncDisposable
{
    private readonly string? _dataRoot;

    private LoadTarget(Uri frontEndUrl, LocalCluster? cluster, string? dataRoot)
    {
        FrontEndUrl = frontEndUrl;
        Cluster = cluster;
        _dataRoot = dataRoot;
    }

    public Uri FrontEndUrl { get; }

    /// <summary>The started cluster, for node control; null for a target given by URL.</summary>
    public LocalCluster? Cluster { get; }

    /// <summary>A running front-end; any HTTP answer to a lookup will do (a seed front-end has no health endpoint).</summary>
    public static async Task<LoadTarget> ConnectAsync(Uri frontEndUrl, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = 1);
        var reply = await clients.FrontEnd(frontEndUrl, TimeSpan.FromSeconds(5)).LookupAsync(LoadOptions.DefaultStocks[0], cancellationToken);
        return reply.Status == 0 ? throw new TargetUnreachableException(frontEndUrl) : new LoadTarget(frontEndUrl, null, null);
    }

    /// <summary>
    /// Starts catalog, three replicas and front-end as children of this process and waits until all are ready;
    /// <paramref name="prepare"/>, when given, writes into the new data root before any service starts.
    /// </summary>
    public static async Task<LoadTarget> StartClusterAsync(
        bool cacheEnabled, int cacheSize, CancellationToken cancellationToken, Dictionary<string, string?>? environment = null, bool insecure = false, Action<string>? prepare = null)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "stocknet-load-" + Guid.NewGuid().ToString("N")[..12]);
        if (prepare is not null)
        {
            Directory.CreateDirectory(dataRoot);
            prepare(dataRoot);
        }

        var options = new ClusterOptions
        {
            UseFreePorts = true,
            DataRoot = dataRoot,
            Fresh = prepare is null,
            CacheEnabled = cacheEnabled,
            CacheCapacity = cacheSize,
            Insecure = insecure,
            Environment = environment is null ? ServiceEnvironment() : new Dictionary<string, string?>(ServiceEnvironment().Concat(environment)),
        };
        var cluster = new LocalCluster(StockNetExecutable.FromCurrentProcess(), options);
        try
        {
            await cluster.StartAsync(cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            TryDelete(dataRoot);
            throw;
        }

        return new LoadTarget(cluster.FrontEndUrl, cluster, dataRoot);
    }

    /// <summary>
    /// A client run with DOTNET_gcServer=1 (cheaper per request under many connections) must not pass that on:
    /// the services are measured with the GC they are deployed with.
    /// </summary>
    // The per-client rate limit (20,000/s by default) would cap a benchmark that sends everything from one address:
    // the clusters the bench and the load client start measure the services, so they turn it off.
    private static Dictionary<string, string?> ServiceEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["RateLimit__PermitsPerSecond"] = "0" };
        if (System.Runtime.GCSettings.IsServerGC)
        {
            environment["DOTNET_gcServer"] = "0";
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAsync();
            await Cluster.DisposeAsync();
        }

        if (_dataRoot is not null)
        {
            TryDelete(_dataRoot);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; failing the run over it is not.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
