using System.Net;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests;

/// <summary>A journaled key answers its first trade again, and refuses a different trade with 422.</summary>
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
}
