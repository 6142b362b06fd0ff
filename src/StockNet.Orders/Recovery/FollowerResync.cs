using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Orders.Leadership;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Makes a follower's log identical to its leader's: the leader's whole log up to its maximum, and above
/// it only entries of the current epoch (see <see cref="LogMerge.FollowLeader"/>). A resync that cannot
/// reach the leader stays pending and is retried on every tick of a periodic timer.
/// </summary>
public sealed partial class FollowerResync(
    OrderLog log,
    ReplicaState state,
    PeerLogs peers,
    IOptions<OrderOptions> options,
    TimeProvider timeProvider,
    ILogger<FollowerResync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RoleSnapshot? _pending;

    /// <summary>Asks for a resync from the leader of <paramref name="role"/> now, and keeps retrying until one succeeds.</summary>
    public void Request(RoleSnapshot role)
    {
        Volatile.Write(ref _pending, role);
        _ = Task.Run(() => TrySafelyAsync(CancellationToken.None));
    }

    /// <summary>Resyncs once from the leader of <paramref name="role"/>; false when it could not be reached or was replaced.</summary>
    public async Task<bool> ResyncAsync(RoleSnapshot role, CancellationToken cancellationToken)
    {
        if (role.LeaderUrl is not { } leader)
        {
            return false;
        }

        // A leader still recovering has not merged our log into its own yet; syncing to it now could
        // delete entries it is about to take from us. Wait until it leads at our epoch.
        var ping = await peers.PingAsync(leader, cancellationToken);
        if (ping is not { IsLeader: true } || ping.Epoch != role.Epoch)
        {
            LogNotLeadingYet(logger, leader, role.Epoch);
            return false;
        }

        var entries = await peers.FetchAsync(leader, cancellationToken);
        if (entries is null)
        {
            LogUnreachable(logger, leader, role.Epoch);
            return false;
        }

        var changes = log.Reconcile(current => state.Current == role
            ? LogMerge.Diff(current, LogMerge.FollowLeader(current, entries, role.Epoch))
            : LogChanges.None);
        LogResynced(logger, leader, role.Epoch, changes.Upserts.Count, changes.Deletes.Count, log.MaxTransaction);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResyncRetryInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TrySafelyAsync(stoppingToken);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    // One failed attempt must never end the retry loop or go unobserved.
    private async Task TrySafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TryPendingAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex);
        }
    }

    private async Task TryPendingAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pending) is null || !await _gate.WaitAsync(0, cancellationToken))
        {
            return;
        }

        try
        {
            var pending = Volatile.Read(ref _pending);
            if (pending is null)
            {
                return;
            }

            // A newer announcement replaced this one; only the role we hold now is worth syncing to.
            if (state.Current != pending || await ResyncAsync(pending, cancellationToken))
            {
                Interlocked.CompareExchange(ref _pending, null, pending);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information,
        Message = "Resynced from leader {LeaderUrl} at epoch {Epoch}: {Upserts} entries written, {Deletes} removed, max transaction {MaxTransaction}")]
    private static partial void LogResynced(ILogger logger, string leaderUrl, long epoch, int upserts, int deletes, long maxTransaction);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Leader {LeaderUrl} (epoch {Epoch}) unreachable for resync; retrying")]
    private static partial void LogUnreachable(ILogger logger, string leaderUrl, long epoch);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "Leader {LeaderUrl} does not lead epoch {Epoch} yet; resync waits")]
    private static partial void LogNotLeadingYet(ILogger logger, string leaderUrl, long epoch);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Resync attempt failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
