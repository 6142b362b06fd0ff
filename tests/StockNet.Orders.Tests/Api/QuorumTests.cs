using System.Net;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Api;

/// <summary>A leader acknowledges only what a majority holds, and leads only an epoch a majority accepted.</summary>
public sealed class QuorumTests
{
    private const string Order = """{"name":"GOOG","type":"buy","quantity":2}""";

    [Fact]
    public Task PlaceOrder_BothFollowersGone_503NoQuorumStepsDownAndNewLeaderKeepsTheTradeOnce() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var one = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await using var two = await ReplicaNode.StartAsync(2, urls, dir.File("2"), catalog.Url);
        await using var three = await ReplicaNode.StartAsync(3, urls, dir.File("3"), catalog.Url);
        await Task.WhenAll(one.WaitReadyAsync(), two.WaitReadyAsync(), three.WaitReadyAsync());
        await PlaceOrderTests.CrownAsync(three, 1, one, two);
        Assert.Equal(0, await three.PlaceAsync("MSFT", 1, "before"));
        await one.DisposeAsync();
        await two.DisposeAsync();

        using var alone = await three.PostJsonAsync(Routes.Orders, Order, "cut-off");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, alone.StatusCode);
        Assert.Equal("no-quorum", (await Json.ErrorAsync(alone)).Type);
        Assert.False((await three.PingAsync()).IsLeader);
        Assert.True(three.Log.HoldsKey("cut-off"));
        Assert.Equal(2, catalog.Trades);
        using var again = await three.SetLeaderAsync(three.Url, 1);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // The majority the old leader lost elects replica 2; the client's retry gets the number the catalog journaled.
        await three.DisposeAsync();
        await using var oneBack = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await using var twoBack = await ReplicaNode.StartAsync(2, urls, dir.File("2"), catalog.Url);
        await Task.WhenAll(oneBack.WaitReadyAsync(), twoBack.WaitReadyAsync());
        await PlaceOrderTests.CrownAsync(twoBack, 2, oneBack);
        var retried = await twoBack.PlaceAsync("GOOG", 2, "cut-off");

        Assert.Equal(1, retried);
        Assert.Equal(2, catalog.Trades);
        Assert.True(oneBack.Log.HoldsKey("cut-off"));
    });

    [Fact]
    public Task SetLeader_NoPeerAcceptsTheEpoch_StepsDownWithoutLeadingAndRefusesThatEpochAgain() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var three = await ReplicaNode.StartAsync(3, urls, dir.File("3"), catalog.Url);
        await three.WaitReadyAsync();

        using var announced = await three.SetLeaderAsync(three.Url, 4);
        await Eventually.UntilAsync(async () => (await three.PingAsync()) is { IsLeader: false, LeaderId: null }, "replica 3 stepped down");
        using var order = await three.PostJsonAsync(Routes.Orders, Order);
        using var again = await three.SetLeaderAsync(three.Url, 4);

        Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, order.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(again)).Type);
        Assert.Equal(0, catalog.Trades);
    });
}
