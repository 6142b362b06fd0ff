using System.Net;
using System.Text;
using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Recovery;

/// <summary>
/// Both followers die: the leader alone is no majority, so it acknowledges nothing; one follower back, trading
/// resumes; the other back, then the leader dies: the replicas that are left must hold everything that was ever
/// acknowledged, and the orders refused meanwhile were traded at most once.
/// </summary>
public sealed class DoubleFailureTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 180_000)]
    public async Task KillTwoThenRestartOneByOneThenKillLeader_NothingAcknowledgedAloneNothingLost()
    {
        var acknowledged = new List<AcknowledgedOrder>();
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "all-up", Cancellation));

        await Cluster.Replica(1).KillAsync(Cancellation);
        await Cluster.Replica(2).KillAsync(Cancellation);
        using (var alone = await PostOrderAsync("leader-alone"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, alone.StatusCode);
        }

        await Cluster.Replica(2).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "one-back", Cancellation));
        await Cluster.Replica(1).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "both-back", Cancellation));

        var leader = await LeaderAsync();
        await Cluster.Replica(leader).KillAsync(Cancellation);
        acknowledged.AddRange(await OrderBatch.PlaceAsync(Cluster, 50, "new-leader", Cancellation));

        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, acknowledged, [.. Enumerable.Range(1, 3).Where(id => id != leader)], Cancellation));
    }

    private Task<HttpResponseMessage> PostOrderAsync(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Routes.Orders)
        {
            Content = new StringContent("{\"name\":\"META\",\"type\":\"sell\",\"quantity\":1}", Encoding.UTF8, MediaTypes.Json),
        };
        request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        return Cluster.FrontEndClient.SendAsync(request, Cancellation);
    }

    private async Task<int> LeaderAsync()
    {
        for (var id = 3; id >= 1; id--)
        {
            if ((await ClusterChecks.PingAsync(Cluster, id, Cancellation)) is { IsLeader: true })
            {
                return id;
            }
        }

        throw new InvalidOperationException("No replica leads after a batch was acknowledged.");
    }
}
