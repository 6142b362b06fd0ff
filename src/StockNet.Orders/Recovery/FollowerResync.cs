using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.Orders.Leadership;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Makes a follower's log identical to its leader's, exchanging only what differs: it finds the last index where
/// both histories hold the same write, gives up its claim above it, streams the leader's rows written after it,
/// asks the leader for its rows at the numbers we wrote after it (deleting those the leader lacks), then takes the
/// leader's position. Writes the leader replicates meanwhile keep their positions and extend the claim once they
/// follow it. A resync that cannot reach the leader stays pending and is retried on every tick of a periodic timer.
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

    /// <summary>True while a requested resync has not succeeded yet.</summary>
    public bool IsPending => Volatile.Read(ref _pending) is not null;

    /// <summary>Resyncs once from the leader of <paramref name="role"/>; false when it could not be reached or was replaced.</summary>
    public async Task<bool> ResyncAsync(RoleSnapshot role, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ResyncOnceAsync(role, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    // One resync at a time: each gives up the claim above its agreement, which a concurrent one computed before.
    private async Task<bool> ResyncOnceAsync(RoleSnapshot role, CancellationToken cancellationToken)
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

        bool Current() => state.Current == role;
        if (await peers.PositionAsync(leader, cancellationToken) is not { } theirs)
        {
            LogUnreachable(logger, leader, role.Epoch);
            return false;
        }

        var agreed = LogHistory.Agreement(log.History, theirs);
        if (!log.TryTruncate(agreed, Current))
        {
            return false;
        }

        var ours = log.ReadWrittenAfter(agreed).Select(record => record.Entry.TransactionNumber).ToList();
        var streamed = 0;
        var end = await peers.ReadSuffixAsync(leader, agreed, theirs.EpochAt(agreed) ?? 0, page =>
        {
            streamed += page.Count;
            return log.TryApply(page, [], Current);
        }, cancellationToken);
        if (end.Outcome != SuffixOutcome.Complete || !await TakeLeadersRowsAsync(leader, ours, Current, cancellationToken)
            || !log.TryAdopt(agreed, end.Through, end.Epochs, Current))
        {
            LogUnreachable(logger, leader, role.Epoch);
            return false;
        }

        LogResynced(logger, leader, role.Epoch, agreed, streamed, ours.Count, log.History.LastIndex);
        return true;
    }

    /// <summary>Our rows at <paramref name="numbers"/> become the leader's, or go where the leader has none.</summary>
    private async Task<bool> TakeLeadersRowsAsync(string leader, List<long> numbers, Func<bool> current, CancellationToken cancellationToken)
    {
        foreach (var chunk in numbers.Chunk(LogSync.MaxNumbers))
        {
            if (await peers.FetchRecordsAsync(leader, chunk, cancellationToken) is not { } records)
            {
                return false;
            }

            var held = records.Select(record => record.Entry.TransactionNumber).ToHashSet();
            if (!log.TryApply(records, [.. chunk.Where(number => !held.Contains(number))], current))
            {
                return false;
            }
        }

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
            if (state.Current != pending || await ResyncOnceAsync(pending, cancellationToken))
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
        Message = "Resynced from leader {LeaderUrl} at epoch {Epoch}: logs agreed through index {Agreed}, {Streamed} rows streamed after it, {Rewritten} of ours compared, now through index {Index}")]
    private static partial void LogResynced(ILogger logger, string leaderUrl, long epoch, long agreed, int streamed, int rewritten, long index);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Leader {LeaderUrl} (epoch {Epoch}) unreachable for resync; retrying")]
    private static partial void LogUnreachable(ILogger logger, string leaderUrl, long epoch);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "Leader {LeaderUrl} does not lead epoch {Epoch} yet; resync waits")]
    private static partial void LogNotLeadingYet(ILogger logger, string leaderUrl, long epoch);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Resync attempt failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
