using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Contracts;
using StockNet.Orders.Placement;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Api;

/// <summary>What a number stands for (an order, a number that never became one) and what a key stands for (one trade).</summary>
public sealed class OrderStatesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PlaceOrder_LoggedKeyWithAnotherBody_422KeyReusedAndNoTrade()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var first = await leader.PlaceAsync("GOOG", 3, "reused");

        using var other = await leader.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":4}""", "reused");
        var again = await leader.PlaceAsync("GOOG", 3, "reused");

        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Equal("idempotency-key-reused", (await Json.ErrorAsync(other)).Type);
        Assert.Equal(first, again);
        Assert.Equal(1, catalog.Trades);
    }

    [Fact]
    public async Task PlaceOrder_KeyInFlightWithAnotherBody_422KeyReused()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var hold = catalog.Hold("busy");
        var first = leader.PlaceAsync("MSFT", 2, "busy");
        await catalog.HeldReached.Task.WaitAsync(Token);

        using var other = await leader.PostJsonAsync(Routes.Orders, """{"name":"MSFT","type":"sell","quantity":2}""", "busy");
        hold.SetResult();

        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Equal("idempotency-key-reused", (await Json.ErrorAsync(other)).Type);
        Assert.Equal(0, await first);
    }

    [Fact]
    public async Task PlaceOrder_KeyLoggedByAnotherWriterDuringCatalogCall_AnswersThatNumber()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var hold = catalog.Hold("raced");
        var placing = leader.PlaceAsync("GOOG", 1, "raced");
        await catalog.HeldReached.Task.WaitAsync(Token);

        // What an adoption of the journaled trade does: the key reaches the log while the order request holds it.
        leader.Log.Append(new OrderEntry(7, "GOOG", TradeType.Buy, 1, "raced", 1));
        hold.SetResult();

        Assert.Equal(7, await placing);
        Assert.Equal(7, leader.Log.MaxTransaction);
    }

    [Fact]
    public async Task GetOrder_NumberReservedForARefusedTradeWithALaterOrder_410NotExecuted()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var hold = catalog.Hold("refused");
        var refused = leader.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":500}""", "refused");
        await catalog.HeldReached.Task.WaitAsync(Token);

        // The refused trade's batch is in flight, so the later trade (number 1 reserved) waits for the next one.
        var later = leader.PlaceAsync("GOOG", 1, "later");
        var batcher = leader.Services.GetRequiredService<CatalogBatcher>();
        await Eventually.UntilAsync(() => Task.FromResult(batcher.Waiting == 1), "the later trade waiting for the catalog");
        hold.SetResult();
        using var refusal = await refused;

        using var hole = await leader.Client.GetAsync("/orders/0", Token);

        Assert.Equal(HttpStatusCode.BadRequest, refusal.StatusCode);
        Assert.Equal(1, await later);
        Assert.Equal(HttpStatusCode.Gone, hole.StatusCode);
        Assert.Equal("order-not-executed", (await Json.ErrorAsync(hole)).Type);
        Assert.Equal(2, await leader.PlaceAsync("GOOG", 1, "refused"));
    }

    [Fact]
    public async Task PlaceOrder_RefusedWithNothingAfter_NumberHandedBack()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);

        using var refusal = await leader.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":500}""", "r");
        var next = await leader.PlaceAsync("GOOG", 1, "n");

        Assert.Equal(HttpStatusCode.BadRequest, refusal.StatusCode);
        Assert.Equal(0, next);
    }
}
