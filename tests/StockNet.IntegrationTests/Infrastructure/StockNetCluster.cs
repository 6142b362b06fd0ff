using StockNet.Cluster;
using StockNet.Contracts.Security;
using StockNet.Hosting;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// A real cluster for one test class: the catalog, three order replicas and the front-end as separate
/// `dotnet stocknet.dll` processes on free loopback ports, with a fresh temporary data root that is
/// deleted at the end. Override <see cref="CreateOptions"/> for a variant (cache off, async replication).
/// </summary>
public class StockNetCluster : IAsyncLifetime
{
    /// <summary>Five cold .NET processes on two cores; generous, because a slow start is not what these tests test.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private LocalCluster? _cluster;
    private HttpClient? _frontEnd;

    public StockNetCluster()
    {
        DataRoot = Path.Combine(Path.GetTempPath(), "stocknet-it-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public string DataRoot { get; }

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public ServiceProcess Catalog => Cluster.Catalog;

    public ServiceProcess FrontEnd => Cluster.FrontEnd;

    public Uri FrontEndUrl => Cluster.FrontEndUrl;

    /// <summary>A keep-alive client whose base address is the front-end.</summary>
    public HttpClient FrontEndClient => _frontEnd ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>Order replica <paramref name="replicaId"/>, 1-based.</summary>
    public ServiceProcess Replica(int replicaId) => Cluster.Replica(replicaId);

    /// <summary>The data directory of a node: catalog, order-1..3 or frontend.</summary>
    public string DataDirOf(string nodeName) => Path.Combine(DataRoot, nodeName);

    /// <summary>A client for any node that signs with the cluster key, so internal routes answer; the caller disposes it.</summary>
    /// <remarks>A raw client on purpose: tests send malformed requests too, which the typed clients cannot.</remarks>
    public HttpClient ClientFor(ServiceProcess service) =>
        new(SigningHandler.Wrap(Cluster.Key, new SocketsHttpHandler { UseProxy = false })) { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask InitializeAsync()
    {
        if (!await PrepareAsync())
        {
            return;
        }

        var cluster = new LocalCluster(BuildPaths.StockNet, CreateOptions());
        try
        {
            await cluster.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            await CleanUpAsync();
            DeleteDataRoot();
            throw;
        }

        _cluster = cluster;
        // Unsigned, as the public API's clients are.
        _frontEnd = new HttpClient { BaseAddress = cluster.FrontEndUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Writes every service's captured log to the test output, if the current test failed. Call it from the test class's Dispose.</summary>
    public void WriteLogsIfTestFailed()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            WriteLogs();
        }
    }

    /// <summary>Writes every service's captured log to the current test's output.</summary>
    public void WriteLogs()
    {
        if (TestContext.Current.TestOutputHelper is not { } output || _cluster is null)
        {
            return;
        }

        foreach (var service in _cluster.Services)
        {
            var state = service.HasExited ? $"exited with {service.ExitCode}" : "running";
            output.WriteLine($"----- {service.Name} ({service.BaseUrl}, {state}) -----");
            foreach (var line in service.RecentLogs())
            {
                output.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _frontEnd?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await CleanUpAsync();
        DeleteDataRoot();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs before the cluster starts; false leaves it unstarted (the tests then skip, saying why).</summary>
    protected virtual ValueTask<bool> PrepareAsync() => ValueTask.FromResult(true);

    /// <summary>Runs after the cluster stopped, also when it failed to start.</summary>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    // Every cluster of the tests may inject faults; only those that set a Testing section do.
    protected virtual ClusterOptions CreateOptions() => new()
    {
        UseFreePorts = true,
        DataRoot = DataRoot,
        Fresh = true,
        ReadyTimeout = ReadyTimeout,
        Environment = new Dictionary<string, string?> { [FaultInjectionGate.AllowVariable] = "1" },
    };

    private void DeleteDataRoot()
    {
        try
        {
            if (Directory.Exists(DataRoot))
            {
                Directory.Delete(DataRoot, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open by a dying child; the temp directory is cleaned by the OS eventually.
        }
    }
}
