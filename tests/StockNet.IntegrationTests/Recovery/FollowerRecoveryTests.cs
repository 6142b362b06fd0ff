using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Recovery;

/// <summary>A follower that missed 1,000 orders holds all of them by the time it reports ready.</summary>
public sealed class FollowerRecoveryTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 180_000)]
    public async Task RestartFollower_Missed1000Orders_HoldsThemAllWhenReady()
    {
        await Cluster.Replica(1).KillAsync(Cancellation);
        var acknowledged = await OrderBatch.PlaceAsync(Cluster, 1000, "missed", Cancellation);

        await Cluster.Replica(1).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        var log = await ClusterChecks.ReadLogAsync(Cluster, 1, Cancellation);

        Assert.NotNull(log);
        var keys = log.Select(order => order.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(acknowledged.Where(order => !keys.Contains(order.Key)).Select(order => order.Number));
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, acknowledged, [1, 2, 3], Cancellation));
    }
}
