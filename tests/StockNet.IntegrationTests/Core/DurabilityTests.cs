using System.Net;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Core;

/// <summary>kill -9 and restart keep what was committed: the catalog's quantities and the replicas' orders.</summary>
public sealed class DurabilityTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task RestartCatalog_AfterTrade_KeepsQuantity()
    {
        Assert.NotNull(await TradeLoad.PlaceOnceAsync(Cluster.FrontEndClient, new TradeRequest("MSFT", TradeType.Buy, 7), "durable-msft", Cancellation));
        var before = await CatalogQuantityAsync();

        await Cluster.Catalog.KillAsync(Cancellation);
        await Cluster.Catalog.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);

        Assert.Equal(before, await CatalogQuantityAsync());
    }

    [Fact(Timeout = 120_000)]
    public async Task RestartEveryReplica_AfterOrder_OrderStillAnswered()
    {
        var number = await TradeLoad.PlaceOnceAsync(Cluster.FrontEndClient, new TradeRequest("AMD", TradeType.Sell, 4), "durable-amd", Cancellation);
        Assert.NotNull(number);

        for (var id = 1; id <= 3; id++)
        {
            await Cluster.Replica(id).KillAsync(Cancellation);
        }

        await Task.WhenAll(Enumerable.Range(1, 3).Select(id => Cluster.Replica(id).RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation)));
        var order = await Eventually.UntilAsync(
            async ct =>
            {
                using var response = await Cluster.FrontEndClient.GetAsync(Routes.Order(number.Value), ct);
                return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)) : null;
            },
            body => body is not null,
            TimeSpan.FromSeconds(30),
            _ => $"order {number} not answered after the replicas restarted",
            Cancellation);

        using (order)
        {
            var data = order!.RootElement.GetProperty("data");
            Assert.Equal("AMD", data.GetProperty("name").GetString());
            Assert.Equal("sell", data.GetProperty("type").GetString());
            Assert.Equal(4, data.GetProperty("quantity").GetInt32());
        }
    }

    private async Task<long> CatalogQuantityAsync()
    {
        using var http = Cluster.ClientFor(Cluster.Catalog);
        using var body = JsonDocument.Parse(await http.GetStringAsync(Routes.Stock("MSFT"), Cancellation));
        return body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64();
    }
}
