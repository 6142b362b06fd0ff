using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StockNet.Hosting.Telemetry;
using StockNet.Orders.Leadership;
using StockNet.Orders.Placement;
using StockNet.Orders.Reconciliation;
using StockNet.Orders.Telemetry;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Runs when this replica is named leader at an epoch: it first announces the epoch to every peer, so
/// that they refuse the old leader's replication from then on (anything the old leader got stored before
/// that is in their logs when we read them); then it merges into its own log what every reachable peer wrote
/// after the point where their logs agree (<see cref="SuffixMerge"/>: highest epoch wins per number, one number
/// per key), as its first writes at its epoch, continues numbering after the merged maximum, adopts the catalog's
/// orphaned trades (see <see cref="JournalReconciler"/>), and only then becomes Leader. Until then orders get 503 "recovering".
/// A candidate whose epoch fewer than a majority of the replicas accepted (itself included) steps down instead: every
/// acknowledged order is on a majority, so only a majority's merge is sure to hold them all.
/// </summary>
public sealed partial class LeaderRecovery(
    OrderLog log,
    ReplicaState state,
    OrderNumbering numbering,
    PeerLogs peers,
    ClusterTopology topology,
    SuffixMerge merge,
    JournalReconciler reconciler,
    IHostApplicationLifetime lifetime,
    ILogger<LeaderRecovery> logger)
{
    /// <summary>Starts recovery in the background; <c>/set_leader</c> answers at once.</summary>
    public void Start(long epoch) => _ = Task.Run(() => RecoverAsync(epoch, lifetime.ApplicationStopping));

    public async Task<bool> RecoverAsync(long epoch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = OrderTelemetry.Source.StartBatch("leader recovery", ActivityKind.Internal, links: null);
        span?.SetTag("stocknet.epoch", epoch);
        try
        {
            var answered = await peers.AnnounceAllAsync(epoch, cancellationToken);
            if (answered is null)
            {
                // A peer knows a newer epoch: another leader was named after us.
                state.StepDown(epoch);
                LogSuperseded(logger, epoch);
                return false;
            }

            if (answered.Count + 1 < topology.Majority)
            {
                // Without a majority fenced, the merge may miss acknowledged orders, and the replicas we cannot reach may
                // be following a leader of their own: lead only where a majority listens.
                state.StepDown(epoch);
                LogNoQuorum(logger, epoch, answered.Count + 1, topology.Majority);
                return false;
            }

            var plan = await merge.PlanAsync(answered, epoch, cancellationToken);
            if (!log.TryCommitMerge(plan.Changes, epoch, () => state.Current is { Role: ReplicaRole.RecoveringLeader } recovering && recovering.Epoch == epoch)
                || !numbering.TryResetNextNumber(epoch))
            {
                // A newer announcement replaced this recovery while it merged; that one numbers.
                LogSuperseded(logger, epoch);
                return false;
            }

            // Trades the catalog applied but no log holds (the old leader died between the two) become orders
            // before we serve, so a retry of one answers its number. With the catalog down trades fail anyway,
            // so we lead without it and the periodic rounds catch up.
            if (!await reconciler.ReconcileAsync(cancellationToken))
            {
                LogJournalUnread(logger, epoch);
            }

            var won = state.TryCompleteRecovery(epoch);
            OrderTelemetry.RecordRecovery(Stopwatch.GetElapsedTime(started), won);
            LogRecovered(logger, epoch, answered.Count, plan.Peers, plan.RowsRead, plan.Changes.Count, log.MaxTransaction, won);
            return won;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Stay RecoveringLeader (orders get 503); the front-end's next election or announcement tries again.
            LogFailed(logger, ex, epoch);
            return false;
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Leader recovery at epoch {Epoch}: {Answered} peers fenced, {Merged} merged by suffix, {RowsRead} rows read from them, {Changes} entries written, max transaction {MaxTransaction}, leading: {Leading}")]
    private static partial void LogRecovered(ILogger logger, long epoch, int answered, int merged, int rowsRead, int changes, long maxTransaction, bool leading);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning,
        Message = "Leader recovery at epoch {Epoch}: the catalog's journal could not be read; reconciliation continues in the background")]
    private static partial void LogJournalUnread(ILogger logger, long epoch);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Leader recovery at epoch {Epoch} abandoned: a peer knows a newer epoch")]
    private static partial void LogSuperseded(ILogger logger, long epoch);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning,
        Message = "Leader recovery at epoch {Epoch} abandoned: {Accepted} replicas accepted the epoch, fewer than the majority of {Majority}")]
    private static partial void LogNoQuorum(ILogger logger, long epoch, int accepted, int majority);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Leader recovery at epoch {Epoch} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, long epoch);
}
