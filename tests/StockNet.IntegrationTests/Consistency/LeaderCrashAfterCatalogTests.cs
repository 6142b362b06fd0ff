using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>
/// The leader dies after the catalog applied a trade and before it logged it (the test hook kills it at that
/// instant). With a client retry the new leader answers the retry with one order; without one, the new
/// leader's journal reconciliation adopts the trade. Either way the trade is exactly one order everywhere.
/// </summary>
public sealed class LeaderCrashAfterCatalogTests(CrashHookCluster cluster) : ClusterTest<CrashHookCluster>(cluster)
{
    private static readonly int[] AllReplicas = [1, 2, 3];

    [Fact(Timeout = 180_000)]
    public async Task PlaceOrder_LeaderDiesAfterCatalogApplied_FrontEndRetryGetsExactlyOneOrder()
    {
        var leader = await ConsistencyProbe.LeaderAsync(Cluster, AllReplicas, Cancellation);
        var key = $"{CrashHookCluster.CrashPrefix}retry-{Guid.NewGuid():N}";

        var placed = await ConsistencyProbe.PlaceAsync(Cluster.FrontEndClient, "AMZN", key, Cancellation);

        Assert.Equal(200, placed.Status);
        await Cluster.Replica(leader.ReplicaId).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        var acknowledged = new AcknowledgedOrder(key, placed.Number!.Value, "AMZN", TradeType.Buy, 1);
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, [acknowledged], AllReplicas, Cancellation));
        foreach (var id in AllReplicas)
        {
            var entry = Assert.Single(await ConsistencyProbe.EntriesWithKeyAsync(Cluster, id, key, Cancellation));
            Assert.Equal(placed.Number, entry.TransactionNumber);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task PlaceOrder_LeaderDiesAfterCatalogAppliedAndNoOneRetries_NextLeaderAdoptsTheTrade()
    {
        var leader = await ConsistencyProbe.LeaderAsync(Cluster, AllReplicas, Cancellation);
        var others = AllReplicas.Where(id => id != leader.ReplicaId).ToArray();
        var key = $"{CrashHookCluster.CrashPrefix}direct-{Guid.NewGuid():N}";
        using var direct = Cluster.ClientFor(Cluster.Replica(leader.ReplicaId));

        var sent = await ConsistencyProbe.PlaceAsync(direct, "TSLA", key, Cancellation);

        Assert.Equal(0, sent.Status);
        var adopted = await Eventually.UntilAsync(
            ct => ConsistencyProbe.EntriesWithKeyAsync(Cluster, others[0], key, ct),
            entries => entries.Length == 1,
            TimeSpan.FromSeconds(30),
            entries => $"replica {others[0]} holds {entries?.Length ?? 0} entries with the key",
            Cancellation);
        Assert.Equal(("TSLA", TradeType.Buy, 1), (adopted[0].Name, adopted[0].Type, adopted[0].Quantity));
        await Cluster.Replica(leader.ReplicaId).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, [], AllReplicas, Cancellation));
        foreach (var id in AllReplicas)
        {
            Assert.Single(await ConsistencyProbe.EntriesWithKeyAsync(Cluster, id, key, Cancellation));
        }
    }
}
