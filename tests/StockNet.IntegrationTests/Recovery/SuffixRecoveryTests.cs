using System.Globalization;
using System.Text.RegularExpressions;
using StockNet.Chaos;
using StockNet.Cluster;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Recovery;

/// <summary>
/// Recovery ships only what differs: a follower killed with kill -9 and restarted reads only the orders it missed,
/// not the history before them, and a new leader after kill -9 of the old one reads only what its peers wrote after
/// the point where their logs agree. Read from the replicas' own log lines, which count the rows they exchanged.
/// </summary>
public sealed partial class SuffixRecoveryTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    private const int History = 2_000;
    private const int Missed = 300;

    [Fact(Timeout = 300_000)]
    public async Task KillFollowerThenLeader_EachCatchesUpOnlyTheSuffix_NothingAcknowledgedLost()
    {
        var acknowledged = new List<AcknowledgedOrder>();
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, History, "history", Cancellation, concurrency: 16));

        var follower = Cluster.Replica(1);
        await follower.KillAsync(Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, Missed, "missed", Cancellation));
        var catchUpsBefore = Counts(follower, CatchUpLine()).Count;
        await follower.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);

        // Its catch-up (a resync from the leader, or on a busy machine that missed the leader's ping, a merge of what
        // the peers wrote after the agreement) read the missed orders at most (a few more if trades raced it), never
        // the history before them.
        var catchUps = await Eventually.UntilAsync(
            _ => Task.FromResult(Counts(follower, CatchUpLine()).Skip(catchUpsBefore).ToList()),
            read => read.Count > 0, TimeSpan.FromSeconds(30), _ => "no catch-up line after the restart", Cancellation);
        Assert.All(catchUps, read => Assert.InRange(read, 0, History / 2));

        var leader = Cluster.Replica(3);
        await leader.KillAsync(Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "new-leader", Cancellation));
        var recoveries = Counts(Cluster.Replica(2), RecoveryLine());
        Assert.NotEmpty(recoveries);
        Assert.InRange(recoveries[^1], 0, History / 2);

        await leader.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, acknowledged, [1, 2, 3], Cancellation));
    }

    private static List<int> Counts(ServiceProcess replica, Regex line) =>
        [.. replica.RecentLogs().Select(text => line.Match(text)).Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"(?:Resynced from leader .* (\d+) rows streamed after it|Start-up catch-up: .* (\d+) rows read from them)")]
    private static partial Regex CatchUpLine();

    [GeneratedRegex(@"Leader recovery at epoch .* (\d+) rows read from them")]
    private static partial Regex RecoveryLine();
}
