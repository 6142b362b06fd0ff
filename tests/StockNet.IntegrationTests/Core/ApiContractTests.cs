using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Core;

/// <summary>
/// docs/api.md on the real processes: the listing, refusals that trade nothing, and the typed JSON error on every
/// service's non-2xx answers. Trades MSFT and TSLA only.
/// </summary>
public sealed class ApiContractTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    private const int TestTimeout = 60_000;

    [Fact(Timeout = TestTimeout)]
    public async Task ListStocks_FreshCluster_TheTenStocksWithQuantities()
    {
        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Stocks, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var names = body.RootElement.GetProperty("data").EnumerateArray().Select(stock => stock.GetProperty("name").GetString()).ToList();
        Assert.Equal(["APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM"], names);
        Assert.All(body.RootElement.GetProperty("data").EnumerateArray(), stock => Assert.True(stock.GetProperty("quantity").GetInt64() >= 0));
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData("""{"name":"MSFT","stock_name":"TSLA","type":"buy","quantity":1}""", 400, "bad-request", "differ")]
    [InlineData("""{"name":"MSFT","type":"buy","quantity":99999999999999999999}""", 400, "bad-request", "out of range")]
    [InlineData("""{"name":"AAPL","type":"buy","quantity":1}""", 404, "unknown-stock", "AAPL")]
    public async Task PlaceOrder_Refused_TypedErrorAndNothingTraded(string body, int status, string type, string says)
    {
        var before = await CatalogQuantitiesAsync();

        using var response = await PostOrderAsync(body, key: null);

        var error = await AssertErrorAsync(response, status, type);
        Assert.Contains(says, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CatalogQuantitiesAsync());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task CatalogTrade_KeyOfAnOrderReusedForAnotherTrade_422AndNothingTraded()
    {
        using var placed = await PostOrderAsync("""{"name":"MSFT","type":"buy","quantity":1}""", key: "api-contract-catalog-key");
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        using var catalog = Cluster.ClientFor(Cluster.Catalog);
        var before = await CatalogQuantitiesAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Stock("TSLA"))
        {
            Content = new StringContent("""{"type":"sell","quantity":7}""", Encoding.UTF8, MediaTypes.Json),
        };
        request.Headers.Add(Routes.IdempotencyKeyHeader, "api-contract-catalog-key");
        using var reused = await catalog.SendAsync(request, Cancellation);

        await AssertErrorAsync(reused, 422, ErrorTypes.IdempotencyKeyReused);
        Assert.Equal(before, await CatalogQuantitiesAsync());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PlaceOrder_KeyReusedThroughTheFrontEnd_SameBodyReplaysOtherBodyIs422AndNothingTraded()
    {
        const string Key = "api-contract-reused-key";
        using var first = await PostOrderAsync("""{"name":"MSFT","type":"buy","quantity":1}""", Key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var number = await TransactionNumberAsync(first);
        var before = await CatalogQuantitiesAsync();

        using var again = await PostOrderAsync("""{"name":"MSFT","type":"buy","quantity":1}""", Key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(number, await TransactionNumberAsync(again));

        using var other = await PostOrderAsync("""{"name":"TSLA","type":"sell","quantity":7}""", Key);
        await AssertErrorAsync(other, 422, ErrorTypes.IdempotencyKeyReused);
        Assert.Equal(before, await CatalogQuantitiesAsync());
    }

    private async Task<long> TransactionNumberAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return body.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64();
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PlaceOrder_BodyOf5KB_413AndNothingTraded()
    {
        var body = "{\"name\":\"MSFT\",\"type\":\"buy\",\"quantity\":1,\"pad\":\"" + new string('x', 5 * 1024) + "\"}";

        using var response = await PostOrderAsync(body, key: null);

        await AssertErrorAsync(response, 413, ErrorTypes.BodyTooLarge);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task GetOrder_NoSuchNumber_404UnknownOrder()
    {
        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Order(999_999), Cancellation);

        await AssertErrorAsync(response, 404, ErrorTypes.UnknownOrder);
    }

    [Theory(Timeout = TestTimeout)]
    [InlineData(ClusterLayout.FrontEndName)]
    [InlineData(ClusterLayout.CatalogName)]
    [InlineData("order-1")]
    public async Task AnyService_UnknownRouteWrongMethodLongUrl_TypedJsonErrors(string service)
    {
        using var client = Cluster.ClientFor(Cluster.Cluster.Services.Single(node => node.Name == service));

        using (var response = await client.GetAsync("/no/such/route", Cancellation))
        {
            await AssertErrorAsync(response, 404, ErrorTypes.NotFound);
        }

        using (var response = await client.DeleteAsync(Routes.Orders + "/0", Cancellation))
        {
            await AssertErrorAsync(response, service == ClusterLayout.CatalogName ? 404 : 405, service == ClusterLayout.CatalogName ? ErrorTypes.NotFound : ErrorTypes.MethodNotAllowed);
        }

        using (var response = await client.GetAsync("/stocks/" + new string('A', 3000), Cancellation))
        {
            await AssertErrorAsync(response, 414, ErrorTypes.UrlTooLong);
        }
    }

    private async Task<HttpResponseMessage> PostOrderAsync(string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Orders)
        {
            Content = new StringContent(body, Encoding.UTF8, MediaTypes.Json),
        };
        if (key is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        }

        return await Cluster.FrontEndClient.SendAsync(request, Cancellation);
    }

    private async Task<string> CatalogQuantitiesAsync()
    {
        using var catalog = Cluster.ClientFor(Cluster.Catalog);
        return await catalog.GetStringAsync(Routes.Stocks, Cancellation);
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string type)
    {
        var raw = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {raw}");
        Assert.DoesNotContain("\\u00", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        var error = json.RootElement.GetProperty("error").Clone();
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(type, error.GetProperty("type").GetString());
        return error;
    }
}
