using System.Net;
using System.Net.Http.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Api;

public sealed class PlaceOrderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public Task PlaceOrder_LeaderWithTwoFollowers_ReplicatedBeforeReply() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var one = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await using var two = await ReplicaNode.StartAsync(2, urls, dir.File("2"), catalog.Url);
        await using var three = await ReplicaNode.StartAsync(3, urls, dir.File("3"), catalog.Url);
        await Task.WhenAll(one.WaitReadyAsync(), two.WaitReadyAsync(), three.WaitReadyAsync());

        await CrownAsync(three, 1, one, two);
        var first = await three.PlaceAsync("GOOG", 3);
        var second = await three.PlaceAsync("MSFT", 2);

        Assert.Equal(0, first);
        Assert.Equal(1, second);
        foreach (var follower in new[] { one, two })
        {
            var record = await follower.Client.GetFromJsonAsync("/orders/1", StockNetJsonContext.Default.DataEnvelopeOrderRecord, Token);
            Assert.Equal(new OrderRecord(1, "MSFT", TradeType.Buy, 2), record!.Data);
            Assert.Equal(1, (await follower.PingAsync()).MaxTransaction);
        }

        Assert.Equal(2, catalog.Trades);
    });

    [Fact]
    public async Task PlaceOrder_RepeatedKey_OriginalNumberAndOneCatalogCall()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await SingleLeaderAsync(dir, catalog);

        var first = await leader.PlaceAsync("GOOG", 1, "key-1");
        await leader.PlaceAsync("IBM", 1, "key-2");
        var again = await leader.PlaceAsync("GOOG", 1, "key-1");

        Assert.Equal(0, first);
        Assert.Equal(first, again);
        Assert.Equal(1, catalog.CallsFor("key-1"));
        Assert.Equal(2, catalog.Trades);
    }

    [Fact]
    public async Task PlaceOrder_ConcurrentSameKey_OneNumberOneTrade()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await SingleLeaderAsync(dir, catalog);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => leader.PlaceAsync("AMD", 4, "same")));

        Assert.All(numbers, n => Assert.Equal(0, n));
        Assert.Equal(1, catalog.Trades);
        Assert.Equal(0, leader.Log.MaxTransaction);
    }

    [Fact]
    public Task PlaceOrder_Follower_403NotLeader() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var follower = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await follower.WaitReadyAsync();
        using var announced = await follower.SetLeaderAsync(urls[1], 1);

        using var response = await follower.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(new ErrorBody(403, "This replica is not the order leader.", "not-leader"), await Json.ErrorAsync(response));
        Assert.Equal(0, catalog.Trades);
    });

    [Theory]
    [InlineData(500, "GOOG", HttpStatusCode.BadRequest, "insufficient-stock")]
    [InlineData(1, "NOPE", HttpStatusCode.NotFound, "unknown-stock")]
    public async Task PlaceOrder_CatalogRefuses_SameStatusNothingLogged(int quantity, string name, HttpStatusCode status, string? type)
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await SingleLeaderAsync(dir, catalog);

        using var response = await leader.PostJsonAsync(Routes.Orders, $$"""{"name":"{{name}}","type":"buy","quantity":{{quantity}}}""");

        Assert.Equal(status, response.StatusCode);
        var error = await Json.ErrorAsync(response);
        Assert.Equal((int)status, error.Code);
        Assert.Equal(type, error.Type);
        Assert.Equal(-1, leader.Log.MaxTransaction);
    }

    [Fact]
    public async Task PlaceOrder_CatalogUnreachable_503CatalogUnavailable()
    {
        using var dir = new TempDirectory();
        using var catalogDown = RefusingPort.Hold();
        await using var leader = await SingleLeaderAsync(dir, catalogUrl: catalogDown.Url);

        using var response = await leader.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(new ErrorBody(503, "The catalog is unavailable.", "catalog-unavailable"), await Json.ErrorAsync(response));
        Assert.Equal(-1, leader.Log.MaxTransaction);
    }

    /// <summary>Announces <paramref name="leader"/> at <paramref name="epoch"/> to itself first, then to the others, as an elector does; waits until it leads.</summary>
    internal static async Task CrownAsync(ReplicaNode leader, long epoch, params ReplicaNode[] followers)
    {
        foreach (var node in followers.Prepend(leader))
        {
            using var announced = await node.SetLeaderAsync(leader.Url, epoch);
            Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
        }

        await Eventually.UntilAsync(async () => (await leader.PingAsync()).IsLeader, $"{leader.Url} leads");
    }

    internal static async Task<ReplicaNode> SingleLeaderAsync(TempDirectory dir, StubCatalog? catalog = null, string? catalogUrl = null)
    {
        var node = await ReplicaNode.StartAloneAsync(dir.File("1"), catalogUrl ?? catalog!.Url);
        await node.WaitReadyAsync();
        using var announced = await node.SetLeaderAsync(node.Url, 1);
        await Eventually.UntilAsync(async () => (await node.PingAsync()).IsLeader, "single replica leads");
        return node;
    }
}
