using StockNet.Chaos;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Recovery;

/// <summary>
/// Both followers die, the leader trades alone, they return in the other order, then the leader dies: the
/// replicas that are left must hold everything that was ever acknowledged.
/// </summary>
public sealed class DoubleFailureTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 180_000)]
    public async Task KillTwoRestartInOtherOrderThenKillLeader_NothingAcknowledgedIsLost()
    {
        var acknowledged = new List<AcknowledgedOrder>();
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "all-up", Cancellation));

        await Cluster.Replica(1).KillAsync(Cancellation);
        await Cluster.Replica(2).KillAsync(Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 100, "leader-alone", Cancellation));

        await Cluster.Replica(2).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        await Cluster.Replica(1).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "followers-back", Cancellation));

        await Cluster.Replica(3).KillAsync(Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "new-leader", Cancellation));

        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, acknowledged, [1, 2], Cancellation));
    }
}
