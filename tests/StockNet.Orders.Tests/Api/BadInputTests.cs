using System.Net;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Api;

/// <summary>The bad-input cases of api.md for the order replica: always a 4xx in the contract's shape, never a 500.</summary>
public sealed class BadInputTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"type":"buy","quantity":1}""")]
    [InlineData("""{"name":"GOOG","quantity":1}""")]
    [InlineData("""{"name":"GOOG","type":"hold","quantity":1}""")]
    [InlineData("""{"name":"GOOG","type":"buy","quantity":0}""")]
    [InlineData("""{"name":"GOOG","type":"buy","quantity":-3}""")]
    [InlineData("""{"name":"GOOG","type":"buy","quantity":1.5}""")]
    [InlineData("""{"name":"GOOG","type":"buy","quantity":"2"}""")]
    [InlineData("""{"name":"GOOG","type":"buy"}""")]
    [InlineData("""{"name":"bad name!","type":"buy","quantity":1}""")]
    [InlineData("""{"name":"IBM","stock_name":"AMD","type":"buy","quantity":1}""")]
    [InlineData("""{"name":"GOOG","type":"buy","quantity":99999999999999999999}""")]
    public async Task PlaceOrder_BadBody_400(string body)
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);

        using var response = await leader.PostJsonAsync(Routes.Orders, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await Json.ErrorAsync(response)).Code);
        Assert.Equal(0, catalog.Trades);
    }

    [Fact]
    public async Task PlaceOrder_StockNameAlias_Accepted()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);

        Assert.Equal(0, await leader.PlaceAsync("GOOG", 1));
        using var response = await leader.PostJsonAsync(Routes.Orders, """{"stock_name":"IBM","type":"sell","quantity":2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"transaction_number":1}}""", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task PlaceOrder_OverlongIdempotencyKey_400()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);

        using var response = await leader.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""", new string('k', 201));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, catalog.Trades);
    }

    [Theory]
    [InlineData("/orders/abc", HttpStatusCode.BadRequest)]
    [InlineData("/orders/-1", HttpStatusCode.BadRequest)]
    [InlineData("/orders/99999999999999999999999", HttpStatusCode.BadRequest)]
    [InlineData("/orders/0", HttpStatusCode.NotFound)]
    [InlineData("/get_missing_orders/-2", HttpStatusCode.BadRequest)]
    [InlineData("/get_missing_orders/x", HttpStatusCode.BadRequest)]
    public async Task Get_BadOrUnknownNumber_4xxJson(string path, HttpStatusCode status)
    {
        using var dir = new TempDirectory();
        await using var node = await ReplicaNode.StartAloneAsync(dir.File("1"), FreePorts.LoopbackUrl());

        using var response = await node.Client.GetAsync(path, Token);

        Assert.Equal(status, response.StatusCode);
        var error = await Json.ErrorAsync(response);
        Assert.Equal((int)status, error.Code);
        Assert.Equal(status == HttpStatusCode.NotFound ? ErrorTypes.UnknownOrder : ErrorTypes.BadRequest, error.Type);
    }

    [Fact]
    public async Task EmptyReplica_MaxTransactionAndMissingOrders_MinusOneAndEmpty()
    {
        using var dir = new TempDirectory();
        await using var node = await ReplicaNode.StartAloneAsync(dir.File("1"), FreePorts.LoopbackUrl());

        Assert.Equal("""{"max_transaction":-1}""", await node.Client.GetStringAsync("/max_transaction", Token));
        Assert.Equal("""{"data":[]}""", await node.Client.GetStringAsync("/get_missing_orders/-1", Token));
    }

    [Theory]
    [InlineData("/set_leader", "{}")]
    [InlineData("/set_leader", "nope")]
    [InlineData("/set_leader", """{"leader_id":"not a url"}""")]
    [InlineData("/set_leader", """{"leader_id":"http://127.0.0.1:1","epoch":-1}""")]
    [InlineData("/set_leader", """{"leader_id":"http://127.0.0.1:1","epoch":"x"}""")]
    [InlineData("/replicate_order", "{}")]
    [InlineData("/replicate_order", "[1]")]
    [InlineData("/replicate_order", """{"transaction_number":-1,"name":"GOOG","type":"buy","quantity":1}""")]
    [InlineData("/replicate_order", """{"transaction_number":0,"name":"GOOG","type":"hold","quantity":1}""")]
    [InlineData("/replicate_order", """{"transaction_number":0,"name":"GOOG","type":"buy","quantity":0}""")]
    [InlineData("/replicate_order", """{"transaction_number":0,"type":"buy","quantity":1}""")]
    [InlineData("/replicate_orders", "{}")]
    [InlineData("/replicate_orders", """{"data":[{"transaction_number":0,"name":"GOOG","type":"buy","quantity":0}]}""")]
    [InlineData("/replicate_orders", """{"data":[null]}""")]
    public async Task Post_BadBody_400(string path, string body)
    {
        using var dir = new TempDirectory();
        await using var node = await ReplicaNode.StartAloneAsync(dir.File("1"), FreePorts.LoopbackUrl());

        using var response = await node.PostJsonAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await Json.ErrorAsync(response)).Code);
        Assert.Equal(-1, node.Log.MaxTransaction);
    }
}
