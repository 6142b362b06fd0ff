using System.Net;
using System.Text.Json;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests;

public sealed class CatalogApiTests
{
    [Fact]
    public async Task GetStock_Known_Returns200WithQuoteAndVersion()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync("/stocks/GOOG", cancellationToken);
        var json = await CatalogHost.ReadJsonAsync(response, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Equal("GOOG", data.GetProperty("name").GetString());
        Assert.Equal(141.2m, data.GetProperty("price").GetDecimal());
        Assert.Equal(100, data.GetProperty("quantity").GetInt64());
        Assert.Equal(0, data.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task GetStock_Unknown_Returns404Error()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync("/stocks/NOPE", cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, cancellationToken);
    }

    [Theory]
    [InlineData("BAD.NAME")]
    [InlineData("THIS-NAME-IS-WAY-TOO-LONG")]
    [InlineData("A%20B")]
    public async Task GetStock_InvalidName_Returns400Error(string name)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync($"/stocks/{name}", cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, cancellationToken);
    }

    [Fact]
    public async Task GetStocks_NewStore_ReturnsAllTenQuotes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync("/stocks", cancellationToken);
        var json = await CatalogHost.ReadJsonAsync(response, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, json.GetProperty("data").GetArrayLength());
        Assert.Equal("APPL", json.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task PostStock_Buy_Returns200WithQuantityAfterTrade()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 3}""", cancellationToken);
        var json = await CatalogHost.ReadJsonAsync(response, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(97, json.GetProperty("data").GetProperty("quantity").GetInt64());
        Assert.Equal(1, json.GetProperty("data").GetProperty("version").GetInt64());
        Assert.Equal(new StockQuote("GOOG", 141.20m, 97, 1), await host.GetQuoteAsync("GOOG", cancellationToken));
    }

    [Fact]
    public async Task PostStock_BuyAboveAvailable_Returns400InsufficientAndChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.TradeAsync("META", """{"type": "buy", "quantity": 101}""", cancellationToken);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, cancellationToken);
        Assert.Equal("insufficient-stock", error.GetProperty("type").GetString());
        Assert.Equal(new StockQuote("META", 327.10m, 100, 0), await host.GetQuoteAsync("META", cancellationToken));
    }

    [Fact]
    public async Task PostStock_Unknown_Returns404Error()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.TradeAsync("NOPE", """{"type": "sell", "quantity": 1}""", cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, cancellationToken);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"type": "hold", "quantity": 1}""")]
    [InlineData("""{"type": "buy"}""")]
    [InlineData("""{"type": "buy", "quantity": 0}""")]
    [InlineData("""{"type": "buy", "quantity": -4}""")]
    [InlineData("""{"type": "buy", "quantity": 1.5}""")]
    [InlineData("""{"type": "buy", "quantity": "3"}""")]
    [InlineData("""{"type": "buy", "quantity": 1, "extra": true}""")]
    public async Task PostStock_BadBody_Returns400ErrorAndChangesNothing(string body)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.TradeAsync("AMZN", body, cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, cancellationToken);
        Assert.Equal(new StockQuote("AMZN", 146.30m, 100, 0), await host.GetQuoteAsync("AMZN", cancellationToken));
    }

    [Fact]
    public async Task PostStock_OversizedBody_Returns413Error()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.TradeAsync("AMZN", $$"""{"type": "buy", "quantity": 1, "pad": "{{new string('x', 8192)}}"}""", cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, cancellationToken);
    }

    [Fact]
    public async Task PostStock_RepeatedIdempotencyKey_ReturnsSameReplyAndTradesOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var first = await host.TradeAsync("NVDA", """{"type": "buy", "quantity": 4}""", cancellationToken, "order-7");
        using var repeat = await host.TradeAsync("NVDA", """{"type": "buy", "quantity": 4}""", cancellationToken, "order-7");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(cancellationToken), await repeat.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(new StockQuote("NVDA", 467.70m, 96, 1), await host.GetQuoteAsync("NVDA", cancellationToken));
    }

    [Fact]
    public async Task GetTrades_AfterTrades_ReturnsJournalInSequenceOrder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);
        (await host.TradeAsync("IBM", """{"type": "buy", "quantity": 2}""", cancellationToken, "k1")).Dispose();
        (await host.TradeAsync("APPL", """{"type": "sell", "quantity": 5}""", cancellationToken)).Dispose();

        using var response = await host.Client.GetAsync("/trades?after=0&limit=10", cancellationToken);
        var json = await CatalogHost.ReadJsonAsync(response, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"data":[{"sequence":1,"idempotency_key":"k1","name":"IBM","type":"buy","quantity":2,"quantity_after":98,"version":1},"""
            + """{"sequence":2,"name":"APPL","type":"sell","quantity":5,"quantity_after":105,"version":1}]}""",
            json.GetRawText());
    }

    [Theory]
    [InlineData("/trades?after=abc")]
    [InlineData("/trades?after=-2")]
    [InlineData("/trades?limit=0")]
    [InlineData("/trades?limit=10001")]
    public async Task GetTrades_BadQuery_Returns400Error(string path)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync(path, cancellationToken);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, cancellationToken);
    }

    [Fact]
    public async Task HealthReady_StoreLoaded_Returns200()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken);

        using var response = await host.Client.GetAsync(Routes.HealthReady, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(MediaTypes.Json, response.Content.Headers.ContentType?.MediaType);
        var error = (await CatalogHost.ReadJsonAsync(response, cancellationToken)).GetProperty("error");
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        return error;
    }
}
