using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Orders.Leadership;
using StockNet.Protocol;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Start-up recovery, before the replica reports ready: with a leader among the peers, resync from it
/// (the one with the highest epoch); otherwise merge the logs of every reachable peer into ours, filling
/// every hole, not only numbers past our maximum (the seed's bug). With no peer reachable the replica is
/// ready with its own log: it may be the first one up.
/// </summary>
public sealed partial class CatchUpService(
    OrderLog log,
    ReplicaState state,
    PeerLogs peers,
    FollowerResync resync,
    IOptions<OrderOptions> options,
    ILogger<CatchUpService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logPath = Path.GetFullPath(options.Value.ResolvedDatabasePath);
        LogCatchingUp(logger, logPath, log.MaxTransaction);
        try
        {
            await CatchUpAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Serving our own log beats never becoming ready; the next election's recovery merges again.
            LogFailed(logger, ex);
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            state.MarkReady();
        }
    }

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var replies = await peers.PingAllAsync(cancellationToken);
        var leader = replies.Where(r => r.Reply.IsLeader).OrderByDescending(r => r.Reply.Epoch).FirstOrDefault();
        if (leader.Reply is not null
            && state.Announce(leader.Peer.Url, leader.Reply.Epoch) != AnnouncementOutcome.Stale
            && state.Current is { Role: ReplicaRole.Follower } role
            && ReplicaList.SameReplica(role.LeaderUrl, leader.Peer.Url))
        {
            if (await resync.ResyncAsync(role, cancellationToken))
            {
                return;
            }

            resync.Request(role);
        }

        var logs = await peers.FetchAllAsync(cancellationToken);
        var changes = log.Reconcile(current => LogMerge.Diff(current, LogMerge.Merge([current.Values, .. logs])));
        LogMerged(logger, replies.Count, logs.Count, changes.Upserts.Count, changes.Deletes.Count, log.MaxTransaction);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Start-up catch-up: {Reachable} peers answered, merged {PeerCount} logs, {Upserts} entries written, {Deletes} removed, max transaction {MaxTransaction}")]
    private static partial void LogMerged(ILogger logger, int reachable, int peerCount, int upserts, int deletes, long maxTransaction);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Start-up catch-up failed; serving the local log")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information,
        Message = "Order log {Path} holds transactions up to {MaxTransaction}; catching up from the peers before reporting ready")]
    private static partial void LogCatchingUp(ILogger logger, string path, long maxTransaction);
}
