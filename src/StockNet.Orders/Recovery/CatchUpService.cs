using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Orders.Leadership;
using StockNet.Protocol;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Start-up recovery, before the replica reports ready: with a leader among the peers, resync from it
/// (the one with the highest epoch), which reads only what the leader wrote after the point where our logs
/// agree; otherwise merge into ours what every reachable peer wrote after that point, filling every hole, not
/// only numbers past our maximum (the seed's bug), as entries outside the sequence that the next leader's merge
/// places. With no peer reachable the replica is ready with its own log: it may be the first one up.
/// </summary>
public sealed partial class CatchUpService(
    OrderLog log,
    ReplicaState state,
    PeerLogs peers,
    SuffixMerge merge,
    ClusterTopology topology,
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
            && state.Announce(leader.Peer.Url, leader.Reply.Epoch).Outcome != AnnouncementOutcome.Stale
            && state.Current is { Role: ReplicaRole.Follower } role
            && ReplicaList.SameReplica(role.LeaderUrl, leader.Peer.Url))
        {
            if (await resync.ResyncAsync(role, cancellationToken))
            {
                return;
            }

            resync.Request(role);
        }

        var plan = await merge.PlanAsync(topology.Peers, log.Epoch, cancellationToken);
        log.StorePending(plan.Changes);
        LogMerged(logger, replies.Count, plan.Peers, plan.RowsRead, plan.Changes.Count, log.MaxTransaction);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Start-up catch-up: {Reachable} peers answered, {PeerCount} merged by suffix, {RowsRead} rows read from them, {Changes} entries written, max transaction {MaxTransaction}")]
    private static partial void LogMerged(ILogger logger, int reachable, int peerCount, int rowsRead, int changes, long maxTransaction);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Start-up catch-up failed; serving the local log")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information,
        Message = "Order log {Path} holds transactions up to {MaxTransaction}; catching up from the peers before reporting ready")]
    private static partial void LogCatchingUp(ILogger logger, string path, long maxTransaction);
}
