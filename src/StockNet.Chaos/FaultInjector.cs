using System.Collections.Concurrent;
using System.Diagnostics;
using StockNet.Cluster;
using StockNet.Cluster.Network;

namespace StockNet.Chaos;

/// <summary>
/// Carries out a <see cref="FaultSchedule"/> on a <see cref="LocalCluster"/>: each fault runs on its own task
/// (kill, wait, restart; stop, wait, continue; or cut or slow links, wait, heal), a service is never hit twice at
/// once, and one link fault runs at a time (a heal removes every rule).
/// </summary>
internal sealed class FaultInjector(LocalCluster cluster, TimeSpan readyTimeout, NetworkHosts? network = null, Func<Task<string?>>? findLeader = null)
{
    private const string NetworkToken = "(network)";

    private readonly ConcurrentQueue<InjectedFault> _injected = new();
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<InjectedFault> Injected => [.. _injected.OrderBy(fault => fault.At)];

    /// <summary>Number of planned targets that found every service already under a fault.</summary>
    public int Skipped { get; private set; }

    /// <summary>Runs the schedule from <paramref name="clock"/>'s zero; returns once every fault has been undone.</summary>
    public async Task RunAsync(IReadOnlyList<FaultEvent> schedule, Stopwatch clock, CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        foreach (var planned in schedule)
        {
            var wait = planned.At - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (planned.Kind is FaultKind.Partition or FaultKind.Slow)
            {
                if (ClaimNetwork())
                {
                    running.Add(InjectNetworkAsync(planned, clock.Elapsed));
                }

                continue;
            }

            foreach (var target in Claim(planned))
            {
                running.Add(InjectAsync(planned, cluster[target], clock.Elapsed));
            }
        }

        // Undoing a fault never listens to cancellation: the cluster must be whole before it is checked.
        await Task.WhenAll(running);
    }

    private List<string> Claim(FaultEvent planned)
    {
        lock (_gate)
        {
            var targets = planned.Preference.Where(name => !_busy.Contains(name)).Take(planned.TargetCount).ToList();
            Skipped += planned.TargetCount - targets.Count;
            _busy.UnionWith(targets);
            return targets;
        }
    }

    private bool ClaimNetwork()
    {
        lock (_gate)
        {
            if (network is null || !_busy.Add(NetworkToken))
            {
                Skipped++;
                return false;
            }

            return true;
        }
    }

    private async Task InjectNetworkAsync(FaultEvent planned, TimeSpan at)
    {
        var target = "(no leader)";
        string? problem = null;
        try
        {
            var replicas = cluster.Layout.Replicas.Select(node => node.Name).ToList();
            var leader = (findLeader is null ? null : await findLeader()) ?? replicas[^1];
            var fault = planned.Kind == FaultKind.Partition
                ? NetworkFaultPlan.Partition(planned.Scenario, leader, replicas)
                : NetworkFaultPlan.Slow(new Random(planned.Scenario), replicas);
            target = fault.Target;
            foreach (var (from, to, direction) in fault.Cuts)
            {
                await network!.CutAsync(from, to, direction);
            }

            if (fault.Slowed is { } slowed)
            {
                target += " (" + await network!.SlowAsync(slowed, fault.Delay, fault.LossPercent) + ")";
            }

            await Task.Delay(planned.Hold);
        }
        catch (Exception ex)
        {
            problem = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            // Healing never listens to cancellation either.
            await network!.HealAsync();
            _injected.Enqueue(new InjectedFault(at, planned.Kind, target, planned.Hold, problem));
            lock (_gate)
            {
                _busy.Remove(NetworkToken);
            }
        }
    }

    private async Task InjectAsync(FaultEvent planned, ServiceProcess service, TimeSpan at)
    {
        string? problem = null;
        TimeSpan? readyAfter = null;
        try
        {
            (problem, readyAfter) = planned.Kind == FaultKind.Kill
                ? await KillAndRestartAsync(service, planned.Hold)
                : (await PauseAndResumeAsync(service, planned.Hold), null);
        }
        catch (Exception ex)
        {
            problem = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            _injected.Enqueue(new InjectedFault(at, planned.Kind, service.Name, planned.Hold, problem) { ReadyAfter = readyAfter });
            lock (_gate)
            {
                _busy.Remove(service.Name);
            }
        }
    }

    private async Task<(string? Problem, TimeSpan? ReadyAfter)> KillAndRestartAsync(ServiceProcess service, TimeSpan hold)
    {
        await service.KillAsync();
        await Task.Delay(hold);
        var restarted = Stopwatch.StartNew();
        service.Start();
        try
        {
            await service.WaitReadyAsync(readyTimeout);
            return (null, restarted.Elapsed);
        }
        catch (ServiceStartException ex)
        {
            // Still running but not ready: the final settle decides whether that is a violation.
            return (ex.Message, null);
        }
    }

    private static async Task<string?> PauseAndResumeAsync(ServiceProcess service, TimeSpan hold)
    {
        await service.PauseAsync();
        await Task.Delay(hold);
        await service.ResumeAsync();
        return null;
    }
}
