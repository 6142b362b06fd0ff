using System.Net;
using System.Text;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Failover;

/// <summary>
/// SIGSTOP of the leader: its requests hang instead of failing, so only the front-end's background probe
/// notices. When it resumes it must learn that it was replaced before it takes an order (epoch fencing).
/// </summary>
public sealed class LeaderHangTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task PauseLeader_FourClientsTrading_ReplicaTwoLeadsAndResumedLeaderIsFenced()
    {
        await using var load = new TradeLoad(Cluster.FrontEndUrl, clients: 4);
        load.Start();
        await load.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);

        var pausedAt = load.Elapsed;
        await Cluster.Replica(3).PauseAsync();
        await load.WaitForMoreAsync(200, TimeSpan.FromSeconds(30), Cancellation);
        AckGaps.Report("SIGSTOP of the leader", AckGaps.LongestAfter(load.Acknowledged, pausedAt));
        await Cluster.Replica(3).ResumeAsync();
        var leader = await ClusterChecks.PingAsync(Cluster, 2, Cancellation);
        Assert.True(leader?.IsLeader, "replica 2 does not lead");

        await Eventually.UntilAsync(
            async ct => await ClusterChecks.PingAsync(Cluster, 3, ct) is { IsLeader: false } ping && ping.Epoch >= leader!.Epoch,
            TimeSpan.FromSeconds(10),
            () => "replica 3 still believes it leads at an old epoch",
            Cancellation);
        Assert.NotEqual(HttpStatusCode.OK, await PlaceDirectlyAsync(Cluster, Cluster.Replica(3)));
        await load.WaitForMoreAsync(50, TimeSpan.FromSeconds(30), Cancellation);
        await load.StopAsync();

        Assert.Empty(load.Errors);
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, load.Acknowledged, [1, 2, 3], Cancellation));
    }

    // Signed, so the refusal is the replica's (not the leader any more), not a missing credential.
    private static async Task<HttpStatusCode> PlaceDirectlyAsync(StockNetCluster cluster, ServiceProcess replica)
    {
        using var http = cluster.ClientFor(replica);
        using var content = new StringContent("{\"name\":\"IBM\",\"type\":\"sell\",\"quantity\":1}", Encoding.UTF8, MediaTypes.Json);
        using var response = await http.PostAsync(Routes.Orders, content, Cancellation);
        return response.StatusCode;
    }
}
