using System.Collections.Concurrent;
using StockNet.Cluster;
using StockNet.Cluster.Network;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Chaos;

/// <summary>
/// The cluster a run works on: one it started (faults possible) or one given by URLs (check only: finding a
/// foreign process to signal is left out on purpose, since a wrong pid would be worse than no fault).
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _ownedDataRoot;
    private ServiceLogFile? _serviceLog;
    private DataLock? _dataRootLock;
    private readonly ConcurrentQueue<Violation> _crashes = new();

    private ChaosCluster(ChaosEndpoints endpoints, LocalCluster? local, string? ownedDataRoot)
    {
        Endpoints = endpoints;
        Local = local;
        _ownedDataRoot = ownedDataRoot;
    }

    public ChaosEndpoints Endpoints { get; }

    /// <summary>The key of the cluster it started, or of the environment for one given by URLs (null: unsigned checks).</summary>
    public ClusterKey? Key => Local?.Key ?? ClusterKey.FromEnvironment();

    /// <summary>Null when the cluster was given by URLs.</summary>
    public LocalCluster? Local { get; }

    /// <summary>The hosts the services run on, with --hosts; null on loopback.</summary>
    public NetworkHosts? Network { get; private init; }

    /// <summary>Services that exited without being killed by the injector.</summary>
    public IReadOnlyList<Violation> Crashes => [.. _crashes];

    public static ChaosCluster Attach(ChaosTargets targets) => new(
        new ChaosEndpoints(targets.FrontEnd, targets.Catalog, [.. targets.Replicas.Select((url, index) => (ClusterLayout.ReplicaName(index + 1), url))]),
        null,
        null);

    /// <summary>Starts catalog, three replicas and front-end on free ports under a fresh data root.</summary>
    public static async Task<ChaosCluster> StartAsync(StockNetExecutable executable, ChaosOptions options, CancellationToken cancellationToken)
    {
        var owned = options.DataRoot is null;
        var dataRoot = options.DataRoot ?? Path.Combine(Path.GetTempPath(), "stocknet-chaos-" + Guid.NewGuid().ToString("N")[..12]);

        // A run wipes its data root first: one given by --data-dir may be a running `stocknet up`'s (or another run's).
        var dataRootLock = owned ? null : await DataRoot.ClaimAsync(dataRoot, wipe: true, DataRoot.ServiceExitWait, cancellationToken);
        try
        {
            return await StartLockedAsync(executable, options, owned, dataRoot, dataRootLock, cancellationToken);
        }
        catch
        {
            dataRootLock?.Dispose();
            throw;
        }
    }

    private static async Task<ChaosCluster> StartLockedAsync(
        StockNetExecutable executable, ChaosOptions options, bool owned, string dataRoot, DataLock? dataRootLock, CancellationToken cancellationToken)
    {
        var serviceLog = options.ServiceLogPath is { } logPath ? new ServiceLogFile(logPath) : null;
        var network = options.Hosts ? await CreateHostsAsync(options, serviceLog) : null;
        var local = new LocalCluster(executable, new ClusterOptions
        {
            LogSink = serviceLog is null ? null : serviceLog.Write,
            UseFreePorts = network is null,
            Placement = network,
            FrontEnds = options.FrontEnds,
            DataRoot = dataRoot,
            Fresh = true,
            CacheTtl = options.CacheTtl,
            ReadyTimeout = ReadyTimeout,
        });
        try
        {
            await local.StartAsync(cancellationToken);
        }
        catch
        {
            await local.DisposeAsync();
            if (network is not null)
            {
                await network.DisposeAsync();
            }

            serviceLog?.Dispose();
            throw;
        }

        var layout = local.Layout;
        var chaos = new ChaosCluster(
            new ChaosEndpoints(layout.FrontEnd.BaseUrl, layout.Catalog.BaseUrl, [.. layout.Replicas.Select(node => (node.Name, node.BaseUrl))])
            {
                FrontEnds = [.. layout.FrontEnds.Select(node => node.BaseUrl)],
            },
            local,
            owned ? dataRoot : null)
        {
            _serviceLog = serviceLog,
            _dataRootLock = dataRootLock,
            Network = network,
        };
        local.ServiceExited += (service, code) => chaos._crashes.Enqueue(new Violation(
            "service-crashed", $"{service.Name} exited by itself with code {code}. Last lines: {string.Join(" | ", service.RecentLogs(5))}"));
        return chaos;
    }

    private static async Task<NetworkHosts> CreateHostsAsync(ChaosOptions options, ServiceLogFile? serviceLog)
    {
        if (await NetworkHosts.UnavailableReasonAsync() is { } reason)
        {
            serviceLog?.Dispose();
            throw new InvalidOperationException("--hosts needs network namespaces: " + reason);
        }

        string[] names = [ClusterLayout.CatalogName, .. Enumerable.Range(1, 3).Select(ClusterLayout.ReplicaName), .. Enumerable.Range(1, options.FrontEnds).Select(ClusterLayout.FrontEndNameOf)];
        return await NetworkHosts.CreateAsync(names);
    }

    /// <summary>Service names in start order, for the fault schedule.</summary>
    public IReadOnlyList<string> ServiceNames => Local?.Services.Select(service => service.Name).ToList() ?? [];

    /// <summary>After the faults: whatever is frozen is thawed, whatever is down is started, and each must become ready.</summary>
    public async Task<IReadOnlyList<Violation>> RestoreAsync(CancellationToken cancellationToken)
    {
        var problems = new List<Violation>();
        if (Local is null)
        {
            return problems;
        }

        if (Network is not null)
        {
            await Network.HealAsync();
        }

        foreach (var service in Local.Services)
        {
            await service.ResumeAsync();
            if (service.HasExited)
            {
                service.Start();
            }
        }

        foreach (var service in Local.Services)
        {
            try
            {
                await service.WaitReadyAsync(ReadyTimeout, cancellationToken);
            }
            catch (ServiceStartException ex)
            {
                problems.Add(new Violation("not-restored", ex.Message));
            }
        }

        return problems;
    }

    /// <summary>The last lines of every service, for a failed run.</summary>
    public IEnumerable<string> RecentLogs(int lines) => Local?.Services.SelectMany(service => service.RecentLogs(lines).Select(line => $"[{service.Name}] {line}")) ?? [];

    public async ValueTask DisposeAsync()
    {
        if (Local is not null)
        {
            await Local.DisposeAsync();
        }

        if (Network is not null)
        {
            await Network.DisposeAsync();
        }

        _serviceLog?.Dispose();
        _dataRootLock?.Dispose();

        if (_ownedDataRoot is not null && Directory.Exists(_ownedDataRoot))
        {
            try
            {
                Directory.Delete(_ownedDataRoot, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying child; the OS cleans the temp directory eventually.
            }
        }
    }
}
