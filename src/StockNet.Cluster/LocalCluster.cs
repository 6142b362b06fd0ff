using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.Protocol;

namespace StockNet.Cluster;

/// <summary>
/// A whole Stock Net cluster on one machine: the catalog, the order replicas and the front-end, each a child
/// process of <see cref="StockNetExecutable"/>. Every child watches this process and exits when it is gone,
/// and disposing the cluster kills whatever still runs, so no service outlives its launcher.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    // Far above what a killed process takes to exit even on a loaded machine; only a process the kernel cannot reap waits it out.
    private static readonly TimeSpan KilledServiceExitBound = TimeSpan.FromSeconds(60);

    private readonly StockNetExecutable _executable;
    private readonly ClusterOptions _options;
    private readonly Dictionary<string, ServiceProcess> _services = new(StringComparer.Ordinal);
    private ClusterLayout? _layout;
    private ServiceSupervisor? _supervisor;
    private ClusterKey? _key;
    private Dictionary<string, string?> _childEnvironment = [];

    public LocalCluster(StockNetExecutable executable, ClusterOptions options)
    {
        _executable = executable;
        _options = options;
    }

    /// <summary>Raised when a running service exits without being asked to.</summary>
    public event Action<ServiceProcess, int>? ServiceExited;

    /// <summary>With <see cref="RestartPolicy.OnFailure"/>: a service exited and will be started again after the notice's delay.</summary>
    public event Action<RestartNotice>? ServiceRestarting;

    /// <summary>With <see cref="RestartPolicy.OnFailure"/>: a restarted service is ready again.</summary>
    public event Action<ServiceProcess>? ServiceRestarted;

    public ClusterLayout Layout => _layout ?? throw new InvalidOperationException("The cluster has not been started.");

    /// <summary>The cluster key in the data root (<see cref="ClusterKey.FileName"/>), made on first start; every child gets its file. Null for an insecure cluster (<see cref="ClusterOptions.Insecure"/>).</summary>
    public ClusterKey? Key => _childEnvironment is null ? throw new InvalidOperationException("The cluster has not been started.") : _key;

    /// <summary>The key file every child reads (mode 0600).</summary>
    public string KeyFile => Path.GetFullPath(Path.Combine(_options.DataRoot, ClusterKey.FileName));

    /// <summary>Every service in start order: catalog, order-1..N, frontend.</summary>
    public IReadOnlyList<ServiceProcess> Services =>
        _layout is null ? [] : [.. _layout.Nodes.Where(node => _services.ContainsKey(node.Name)).Select(node => _services[node.Name])];

    public ServiceProcess Catalog => this[ClusterLayout.CatalogName];

    public ServiceProcess FrontEnd => this[ClusterLayout.FrontEndName];

    /// <summary>Every front-end, the first one first.</summary>
    public IReadOnlyList<ServiceProcess> FrontEnds => [.. Layout.FrontEnds.Select(node => this[node.Name])];

    public Uri FrontEndUrl => FrontEnd.BaseUrl;

    public ServiceProcess this[string name] => _services.TryGetValue(name, out var service)
        ? service
        : throw new KeyNotFoundException($"No service named '{name}'; the names are catalog, order-1..order-{_options.Replicas}, frontend and frontend-2..");

    /// <summary>Order replica <paramref name="replicaId"/>, 1-based.</summary>
    public ServiceProcess Replica(int replicaId) => this[ClusterLayout.ReplicaName(replicaId)];

    /// <summary>Starts every service, then waits until all are ready. On failure nothing is left running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Fresh && Directory.Exists(_options.DataRoot))
        {
            WipeDataRoot(Path.GetFullPath(_options.DataRoot));
        }

        _key = _options.Insecure ? null : ClusterKey.LoadOrCreate(KeyFile);
        _childEnvironment = _options.Insecure
            ? new Dictionary<string, string?>(_options.Environment)
            {
                // A key inherited from this process's environment would make the children sign after all.
                [ClusterKey.FileVariable] = null,
                [ClusterKey.Variable] = null,
                ["Cluster__Insecure"] = "true",
            }
            : new Dictionary<string, string?>(_options.Environment) { [ClusterKey.FileVariable] = KeyFile };
        // Fixed ports taken by someone else stay taken: only free ports are worth finding again.
        await PortRace.RetryAsync(() => StartOnceAsync(cancellationToken), _options.UseFreePorts ? PortRace.Attempts : 1);
        Supervise();
    }

    /// <summary>Stops the services gracefully in reverse start order: front-end first, catalog last.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await StopServicesAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeServicesAsync();
    }

    /// <summary>
    /// Deletes everything in the data root but the lock of the <c>up</c> that is wiping it (<see cref="DataRoot"/>);
    /// refuses the trees a typo could name, since --fresh deletes a whole tree.
    /// </summary>
    internal static void WipeDataRoot(string root)
    {
        DataRoot.RefuseForbiddenWipe(root);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else if (entry.Name != DataLock.DataRootFileName)
            {
                entry.Delete();
            }
        }
    }

    /// <summary>Only now: a service that fails while the cluster starts fails the start instead.</summary>
    private void Supervise()
    {
        if (_options.Restart != RestartPolicy.OnFailure)
        {
            return;
        }

        _supervisor = new ServiceSupervisor(_options.RestartDelay, _options.ReadyTimeout);
        _supervisor.Restarting += notice => ServiceRestarting?.Invoke(notice);
        _supervisor.Restarted += service => ServiceRestarted?.Invoke(service);
        foreach (var service in _services.Values)
        {
            _supervisor.Watch(service);
        }
    }

    /// <summary>First, so that no restart begins while the services are being stopped.</summary>
    private async Task StopSupervisingAsync()
    {
        if (_supervisor is { } supervisor)
        {
            _supervisor = null;
            await supervisor.DisposeAsync();
        }
    }

    /// <summary>On the layout's ports (new free ones each time, with <see cref="ClusterOptions.UseFreePorts"/>); on failure nothing is left running.</summary>
    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        _layout = ClusterLayout.Create(_options);
        _services.Clear();
        try
        {
            // The front-end starts last: its first election takes the highest replica that is ready, and a replica
            // still warming up would otherwise lose the leadership to a lower id for no reason.
            foreach (var node in _layout.Nodes.Where(node => !_layout.FrontEnds.Contains(node)))
            {
                StartNode(node);
            }

            await WaitAllReadyAsync(cancellationToken);
            foreach (var node in _layout.FrontEnds)
            {
                StartNode(node);
            }

            await WaitAllReadyAsync(cancellationToken);
            await Task.WhenAll(FrontEnds.Select(frontEnd => WaitForOrderLeaderAsync(frontEnd.BaseUrl, cancellationToken)));
        }
        catch
        {
            // A start tried again (a port race) reuses the data directories: every killed service must be gone, and its
            // store's lock with it, before the next attempt's service takes that lock (disposal waits only a few seconds).
            await KillServicesAsync();
            await DisposeServicesAsync();
            throw;
        }
    }

    /// <summary>
    /// The front-end is ready for lookups before its first election ends, and reports "Degraded" until it has an
    /// order leader; waiting for "Healthy" means the first order after start succeeds. Bounded, and not fatal:
    /// without a leader orders get a clear 503, which is the front-end's to report.
    /// </summary>
    private async Task WaitForOrderLeaderAsync(Uri frontEnd, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create();
        var health = clients.Health(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow + _options.ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            // Not answering yet, or no leader yet: try again until the deadline.
            if ((await health.CheckReadyAsync(frontEnd, cancellationToken)).IsHealthy)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    // No directory is made here: the catalog and the replicas create their own, and the front-end keeps no data.
    private void StartNode(ClusterNode node)
    {
        var executable = _options.Placement?.ExecutableFor(node.Name, _executable) ?? _executable;
        var service = new ServiceProcess(
            node.Name, node.BaseUrl, executable, Layout.ArgumentsFor(node, Environment.ProcessId), _childEnvironment, _options.LogSink);
        service.ExitedUnexpectedly += (exited, code) => ServiceExited?.Invoke(exited, code);
        _services[node.Name] = service;
        service.Start();
    }

    /// <summary>They start in parallel under one deadline; the first failure cancels the other waits and is the one reported.</summary>
    private async Task WaitAllReadyAsync(CancellationToken cancellationToken)
    {
        using var firstFailure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ServiceStartException? failure = null;
        async Task WaitOneAsync(ServiceProcess service)
        {
            try
            {
                await service.WaitReadyAsync(_options.ReadyTimeout, firstFailure.Token);
            }
            catch (ServiceStartException ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
                await firstFailure.CancelAsync();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Another service failed first; that failure is reported.
            }
        }

        await Task.WhenAll(_services.Values.Select(WaitOneAsync));
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null)
        {
            throw failure;
        }
    }

    private async Task StopServicesAsync(CancellationToken cancellationToken)
    {
        await StopSupervisingAsync();
        if (_layout is null)
        {
            return;
        }

        foreach (var node in _layout.Nodes.Reverse())
        {
            if (_services.TryGetValue(node.Name, out var service))
            {
                await service.StopAsync(cancellationToken);
            }
        }

        await DisposeServicesAsync();
    }

    private async Task KillServicesAsync()
    {
        using var bound = new CancellationTokenSource(KilledServiceExitBound);
        try
        {
            await Task.WhenAll(_services.Values.Select(service => service.KillAsync(bound.Token)));
        }
        catch (OperationCanceledException)
        {
            // One still exiting after the bound: the next attempt's service is refused on its store's lock and says so.
        }
    }

    private async Task DisposeServicesAsync()
    {
        await StopSupervisingAsync();
        foreach (var service in _services.Values)
        {
            await service.DisposeAsync();
        }

        _services.Clear();
    }
}
