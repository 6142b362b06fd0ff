using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Failover;

/// <summary>kill -9 of the leader while clients trade: the front-end elects replica 2 and retries in-flight orders with their keys.</summary>
public sealed class LeaderCrashTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task KillLeader_FourClientsTrading_ReplicaTwoLeadsAndNoOrderIsLostOrDoubled()
    {
        await using var load = new TradeLoad(Cluster.FrontEndUrl, clients: 4);
        load.Start();
        await load.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);

        var killedAt = load.Elapsed;
        await Cluster.Replica(3).KillAsync(Cancellation);
        await load.WaitForMoreAsync(200, TimeSpan.FromSeconds(30), Cancellation);
        await load.StopAsync();

        AckGaps.Report("kill -9 of the leader", AckGaps.LongestAfter(load.Acknowledged, killedAt));
        Assert.Empty(load.Errors);
        Assert.True((await ClusterChecks.PingAsync(Cluster, 2, Cancellation))?.IsLeader, "replica 2 does not lead");
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, load.Acknowledged, [1, 2], Cancellation));
    }
}
