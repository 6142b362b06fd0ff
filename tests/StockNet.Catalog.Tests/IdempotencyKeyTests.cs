using System.Net;
using System.Net.Http.Json;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Catalog.Tests;

/// <summary>
/// A journaled key answers its first trade again, and refuses a different trade with 422. The single route and the batch
/// route read a key alike: trimmed, then held to the limit.
/// </summary>
public sealed class IdempotencyKeyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Trade_SameKeySameTrade_FirstResultAndTradedOnce()
    {
        await using var host = await CatalogHost.StartAsync(Token);
        (await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 3}""", Token, "abc-123")).Dispose();

        using var again = await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 3}""", Token, "abc-123");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(97, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    [Theory]
    [InlineData("TSLA", """{"type": "sell", "quantity": 7}""")]
    [InlineData("GOOG", """{"type": "sell", "quantity": 3}""")]
    [InlineData("GOOG", """{"type": "buy", "quantity": 4}""")]
    public async Task Trade_SameKeyDifferentTrade_422AndNothingChanged(string name, string body)
    {
        await using var host = await CatalogHost.StartAsync(Token);
        (await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 3}""", Token, "abc-123")).Dispose();

        using var reused = await host.TradeAsync(name, body, Token, "abc-123");

        var error = await CatalogApiTests.AssertErrorAsync(reused, HttpStatusCode.UnprocessableEntity, Token);
        Assert.Equal(ErrorTypes.IdempotencyKeyReused, error.GetProperty("type").GetString());
        Assert.Equal(97, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
        Assert.Equal(100, (await host.GetQuoteAsync("TSLA", Token)).Quantity);
    }

    [Theory]
    [InlineData(Single)]
    [InlineData(Batch)]
    public async Task Trade_KeyWithinTheLimitOnlyAfterTrimming_TradedAndJournaledTrimmed(string route)
    {
        await using var host = await CatalogHost.StartAsync(Token);
        var key = new string('k', Limits.MaxIdempotencyKeyLength);

        using var response = await TradeAsync(host, route, $"  {key}\t ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(99, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
        var journal = await host.Client.GetFromJsonAsync("/trades?after=0", StockNetJsonContext.Default.DataEnvelopeAppliedTradeArray, Token);
        Assert.Equal([key], journal!.Data.Select(trade => trade.IdempotencyKey));
    }

    [Theory]
    [InlineData(Single, "")]
    [InlineData(Batch, "Trade 0: ")]
    public async Task Trade_KeyOverTheLimitAfterTrimming_400AndNothingChanged(string route, string messagePrefix)
    {
        await using var host = await CatalogHost.StartAsync(Token);

        using var response = await TradeAsync(host, route, $" {new string('k', Limits.MaxIdempotencyKeyLength + 1)} ");

        var error = await CatalogApiTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, Token);
        Assert.Equal(ErrorTypes.BadRequest, error.GetProperty("type").GetString());
        Assert.Equal(messagePrefix + RequestBody.IdempotencyKeyTooLong, error.GetProperty("message").GetString());
        Assert.Equal(100, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    private const string Single = "POST /stocks/{name}";
    private const string Batch = "POST /trades";

    // Buys one GOOG with the key as given, on the route named.
    private static Task<HttpResponseMessage> TradeAsync(CatalogHost host, string route, string key) => route == Single
        ? host.TradeAsync("GOOG", """{"type": "buy", "quantity": 1}""", Token, key)
        : host.Client.PostAsJsonAsync(Routes.Trades, new TradeBatch([new BatchedTrade("GOOG", TradeType.Buy, 1, key)]), StockNetJsonContext.Default.TradeBatch, Token);
}
