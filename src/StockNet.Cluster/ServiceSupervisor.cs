using System.Diagnostics;

namespace StockNet.Cluster;

/// <summary>A restart <see cref="LocalCluster"/> is about to make: of which service, why (its exit code), after what delay, and the how-many-th in a row.</summary>
public sealed record RestartNotice(ServiceProcess Service, int ExitCode, TimeSpan Delay, int Attempt);

/// <summary>
/// Restarts a service that exited without being asked to, with the same arguments (so the same port and data
/// directory), after a delay that doubles with every restart that did not last (1 s, 2 s, 4 s ... 30 s), so a
/// service that cannot start does not spin. Stopping the supervisor cancels the pending restarts and waits for
/// the one under way, so that stopping the cluster afterwards finds every process it started.
/// </summary>
internal sealed class ServiceSupervisor : IAsyncDisposable
{
    /// <summary>A service that stayed up this long starts over at the first delay when it exits.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _firstDelay;
    private readonly TimeSpan _readyTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Supervised> _supervised = new(StringComparer.Ordinal);
    private readonly List<Task> _restarts = [];

    public ServiceSupervisor(TimeSpan firstDelay, TimeSpan readyTimeout)
    {
        _firstDelay = firstDelay;
        _readyTimeout = readyTimeout;
    }

    public event Action<RestartNotice>? Restarting;

    public event Action<ServiceProcess>? Restarted;

    /// <summary>The delay before the <paramref name="attempt"/>-th restart in a row (1-based).</summary>
    public static TimeSpan DelayFor(TimeSpan firstDelay, int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, firstDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20))));

    /// <summary>Supervises a running service from now on.</summary>
    public void Watch(ServiceProcess service)
    {
        lock (_gate)
        {
            _supervised[service.Name] = new Supervised(service);
        }

        service.ExitedUnexpectedly += OnExited;
    }

    /// <summary>Cancels the pending restarts and waits until none is under way.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] restarts;
        lock (_gate)
        {
            _stopping.Cancel();
            restarts = [.. _restarts];
        }

        await Task.WhenAll(restarts);
        _stopping.Dispose();
    }

    private void OnExited(ServiceProcess service, int exitCode)
    {
        lock (_gate)
        {
            // An exit during a restart (the new process failed) is the restart loop's to handle.
            if (_stopping.IsCancellationRequested || !_supervised.TryGetValue(service.Name, out var supervised) || supervised.Restarting)
            {
                return;
            }

            supervised.Restarting = true;
            _restarts.RemoveAll(task => task.IsCompleted);
            _restarts.Add(Task.Run(() => RestartUntilReadyAsync(supervised, exitCode)));
        }
    }

    private async Task RestartUntilReadyAsync(Supervised supervised, int exitCode)
    {
        var service = supervised.Service;
        var attempt = supervised.UpFor.Elapsed >= StableAfter ? 1 : supervised.Attempt + 1;
        try
        {
            while (true)
            {
                supervised.Attempt = attempt;
                var delay = DelayFor(_firstDelay, attempt);
                Restarting?.Invoke(new RestartNotice(service, exitCode, delay, attempt));
                await Task.Delay(delay, _stopping.Token);
                if (await TryStartAsync(service))
                {
                    supervised.UpFor.Restart();
                    Restarted?.Invoke(service);
                    return;
                }

                exitCode = service.ExitCode ?? -1;
                attempt++;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The cluster is stopping; it stops whatever this started.
        }
        finally
        {
            lock (_gate)
            {
                supervised.Restarting = false;
            }

            // An exit between "ready" and the line above was ignored by OnExited; it must not be lost.
            if (service.ExitedUnasked)
            {
                OnExited(service, service.ExitCode ?? -1);
            }
        }
    }

    /// <summary>Starts the service and waits until it is ready; a service still not ready at the deadline is killed.</summary>
    private async Task<bool> TryStartAsync(ServiceProcess service)
    {
        try
        {
            service.Start();
            await service.WaitReadyAsync(_readyTimeout, _stopping.Token);
            return true;
        }
        catch (Exception ex) when (ex is ServiceStartException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await service.KillAsync(CancellationToken.None);
            return false;
        }
    }

    private sealed class Supervised(ServiceProcess service)
    {
        public ServiceProcess Service { get; } = service;

        /// <summary>Since the service last became ready.</summary>
        public Stopwatch UpFor { get; } = Stopwatch.StartNew();

        public int Attempt { get; set; }

        public bool Restarting { get; set; }
    }
}
