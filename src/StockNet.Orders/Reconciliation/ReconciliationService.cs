using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Orders.Leadership;

namespace StockNet.Orders.Reconciliation;

/// <summary>
/// Runs a <see cref="JournalReconciler"/> round every <see cref="OrderOptions.ReconcileInterval"/> while this
/// replica leads, which adopts trades orphaned during its term (a catalog reply lost to a timeout or a catalog
/// crash). A follower runs one every <see cref="FollowerEvery"/> ticks, only to move its watermark.
/// </summary>
public sealed partial class ReconciliationService(
    JournalReconciler reconciler,
    ReplicaState state,
    IOptions<OrderOptions> options,
    TimeProvider time,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    /// <summary>Followers read the journal this many times less often than the leader.</summary>
    public const int FollowerEvery = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var role = state.Current.Role;
            if (!state.Ready || role == ReplicaRole.RecoveringLeader || (role == ReplicaRole.Follower && ++ticks % FollowerEvery != 0))
            {
                continue;
            }

            try
            {
                await reconciler.ReconcileAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Journal reconciliation round failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
