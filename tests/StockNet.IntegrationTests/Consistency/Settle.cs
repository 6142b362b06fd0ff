using StockNet.Chaos;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>
/// Runs the invariant check until it passes or a deadline passes: after a catalog outage the leader adopts the
/// trades the catalog applied without answering on its next reconciliation round, about a second after the
/// catalog is back, so a first check may come just before it.
/// </summary>
internal static class Settle
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public static async Task<InvariantReport> UntilPassedAsync(
        StockNetCluster cluster, IReadOnlyList<AcknowledgedOrder> acknowledged, int[] liveReplicas, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var report = await ClusterChecks.SettleAndCheckAsync(cluster, acknowledged, liveReplicas, cancellationToken);
            if (report.Passed || clock.Elapsed > Deadline)
            {
                return report;
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }
}
