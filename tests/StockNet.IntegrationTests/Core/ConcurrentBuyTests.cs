using System.Net;
using System.Text.Json;
using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Core;

/// <summary>The catalog never oversells, whatever the concurrency: 200 buys of 1 against 100 in stock.</summary>
public sealed class ConcurrentBuyTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task PlaceOrder_200ConcurrentBuysOf100InStock_Exactly100Succeed()
    {
        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 200).Select(async i =>
        {
            await start.WaitAsync(Cancellation);
            var key = $"buy-ibm-{i}";
            return (Key: key, Number: await TradeLoad.PlaceOnceAsync(Cluster.FrontEndClient, new TradeRequest("IBM", TradeType.Buy, 1), key, Cancellation));
        }).ToArray();
        start.Release(200);
        var results = await Task.WhenAll(attempts);

        var acknowledged = results.Where(r => r.Number is not null)
            .Select(r => new AcknowledgedOrder(r.Key, r.Number!.Value, "IBM", TradeType.Buy, 1)).ToList();
        Assert.Equal(100, acknowledged.Count);
        Assert.Equal(0, await CatalogQuantityAsync("IBM"));
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, acknowledged, [1, 2, 3], Cancellation));
        var log = await ClusterChecks.ReadLogAsync(Cluster, 3, Cancellation);
        Assert.Equal(100, log!.Count(order => order.Name == "IBM"));
    }

    [Fact(Timeout = 60_000)]
    public async Task PlaceOrder_BuyBeyondStock_BadRequestAndNothingChanges()
    {
        var before = await CatalogQuantityAsync("AMZN");

        var number = await TradeLoad.PlaceOnceAsync(Cluster.FrontEndClient, new TradeRequest("AMZN", TradeType.Buy, (int)before + 1), "too-many", Cancellation);

        Assert.Null(number);
        Assert.Equal(before, await CatalogQuantityAsync("AMZN"));
    }

    private async Task<long> CatalogQuantityAsync(string name)
    {
        using var http = Cluster.ClientFor(Cluster.Catalog);
        using var response = await http.GetAsync(Routes.Stock(name), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64();
    }
}
