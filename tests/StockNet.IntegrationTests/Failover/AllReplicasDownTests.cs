using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Failover;

/// <summary>
/// With every replica down, orders get a clear 503 within the failover budget; one replica back is no majority, so still
/// 503; a second back, trading resumes.
/// </summary>
public sealed class AllReplicasDownTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task PlaceOrder_AllReplicasDown_ServiceUnavailableThenResumesWhenAMajorityReturns()
    {
        for (var id = 1; id <= 3; id++)
        {
            await Cluster.Replica(id).KillAsync(Cancellation);
        }

        var clock = Stopwatch.StartNew();
        using (var response = await PostOrderAsync())
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"503 after {clock.ElapsedMilliseconds} ms with every replica down.");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter is not null, "no Retry-After header");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
            var error = body.RootElement.GetProperty("error");
            Assert.Equal(503, error.GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }

        await Cluster.Replica(1).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        using (var response = await PostOrderAsync())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        await Cluster.Replica(2).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        await Eventually.UntilAsync(
            async ct =>
            {
                using var response = await PostOrderAsync();
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            () => "orders still refused after replicas 1 and 2 returned",
            Cancellation);
    }

    private Task<HttpResponseMessage> PostOrderAsync()
    {
        var content = new StringContent("{\"name\":\"TSLA\",\"type\":\"sell\",\"quantity\":1}", Encoding.UTF8, MediaTypes.Json);
        return Cluster.FrontEndClient.PostAsync(Routes.Orders, content, Cancellation);
    }
}
