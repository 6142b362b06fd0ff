using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>
/// kill -9 of the front-end while clients trade, restarted on the same port: it finds the sitting leader from the
/// replicas' pings (never an older epoch) and serves again. Requests cut off by the kill have an unknown outcome;
/// only the answered ones count as acknowledged.
/// </summary>
public sealed class FrontEndRestartTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    private static readonly int[] AllReplicas = [1, 2, 3];

    [Fact(Timeout = 180_000)]
    public async Task KillFrontEnd_FourClientsTrading_RestartServesAtSameOrNewerEpochAndInvariantsHold()
    {
        await using var load = new TradeLoad(Cluster.FrontEndUrl, clients: 4);
        load.Start();
        await load.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        var before = await ConsistencyProbe.LeaderAsync(Cluster, AllReplicas, Cancellation);

        await Cluster.FrontEnd.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        await load.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        await load.StopAsync();

        var after = await ConsistencyProbe.LeaderAsync(Cluster, AllReplicas, Cancellation);
        Assert.True(after.Epoch >= before.Epoch, $"epoch went back from {before.Epoch} to {after.Epoch}");
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, load.Acknowledged, AllReplicas, Cancellation));
    }
}
