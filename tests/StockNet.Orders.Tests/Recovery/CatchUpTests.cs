using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Recovery;

public sealed class CatchUpTests
{
    private static OrderEntry Entry(long number, long epoch = 1, string? key = null) =>
        new(number, "GOOG", TradeType.Buy, 1, key ?? $"k{number}", epoch);

    private static void Seed(string dataDir, int id, IEnumerable<OrderEntry> entries)
    {
        using var log = OrderLog.Open(Path.Combine(dataDir, $"order_log_{id}.db"));
        log.StoreMany([.. entries]);
    }

    [Fact]
    public Task Start_HolesInLog_FilledFromPeerBeforeReady() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        Seed(dir.File("1"), 1, [Entry(0), Entry(2), Entry(4)]);
        Seed(dir.File("2"), 2, Enumerable.Range(0, 6).Select(n => Entry(n)));
        await using var peer = await ReplicaNode.StartAsync(2, urls, dir.File("2"), FreePorts.LoopbackUrl());
        await peer.WaitReadyAsync();

        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        await node.WaitReadyAsync();

        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], node.Log.ReadAfter(-1).Select(e => e.TransactionNumber));
    });

    [Fact]
    public Task Start_PeerHolds10000Entries_AllCaughtUpBeforeReady() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        Seed(dir.File("2"), 2, Enumerable.Range(0, 10_000).Select(n => Entry(n)));
        await using var peer = await ReplicaNode.StartAsync(2, urls, dir.File("2"), FreePorts.LoopbackUrl());
        await peer.WaitReadyAsync();

        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        await node.WaitReadyAsync();

        Assert.Equal(10_000, node.Log.CountEntries());
        Assert.Equal(9_999, node.Log.MaxTransaction);
        Assert.True(node.Log.TryGetByKey("k1234", out var numberEntry));
        Assert.Equal(1234, numberEntry.TransactionNumber);
    });

    [Fact]
    public Task Start_LeaderAmongPeers_ResyncDropsOlderEpochEntriesPastLeaderMax() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        Seed(dir.File("1"), 1, [Entry(0), Entry(1)]);

        // Replica 2 was an old leader: entry 2 of epoch 1 never reached anyone, and entry 1 differs.
        Seed(dir.File("2"), 2, [Entry(0), Entry(1, key: "stale"), Entry(2, key: "ghost")]);

        // Replica 3, empty, makes the majority that lets replica 1 take office while replica 2 is down.
        await using var third = await StubServer.StartAsync(
            app =>
            {
                app.MapPost(Routes.SetLeader, () => TypedResults.Ok());
                app.MapGet(Routes.GetMissingOrders + "/{n}", () => TypedResults.Ok(new DataEnvelope<OrderEntry[]>([])));
            },
            urls[2]);
        await using var leader = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        await leader.WaitReadyAsync();
        using var announced = await leader.SetLeaderAsync(leader.Url, 2);
        await Eventually.UntilAsync(async () => (await leader.PingAsync()).IsLeader, "replica 1 leads");

        await using var node = await ReplicaNode.StartAsync(2, urls, dir.File("2"), FreePorts.LoopbackUrl());
        await node.WaitReadyAsync();

        Assert.Equal(leader.Log.ReadAfter(-1), node.Log.ReadAfter(-1));
        Assert.False(node.Log.HoldsKey("ghost"));
        var ping = await node.PingAsync();
        Assert.Equal((leader.Url, 2L, false), (ping.LeaderId, ping.Epoch, ping.IsLeader));
    });

    [Fact]
    public Task SetLeader_Self_MergesPeersAndNumbersAfterMergedMax() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        Seed(dir.File("1"), 1, [Entry(0), Entry(1), Entry(2), Entry(3)]);
        Seed(dir.File("3"), 3, [Entry(0)]);
        await using var three = await ReplicaNode.StartAsync(3, urls, dir.File("3"), catalog.Url);
        await three.WaitReadyAsync();
        await using var one = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await one.WaitReadyAsync();
        Assert.Equal(1, three.Log.CountEntries());

        using var announced = await three.SetLeaderAsync(three.Url, 1);
        await Eventually.UntilAsync(async () => (await three.PingAsync()).IsLeader, "replica 3 leads");

        var number = await three.PlaceAsync("GOOG", 1);

        Assert.Equal(4, number);
        Assert.Equal(5, three.Log.CountEntries());
        Assert.True(one.Log.TryGet(4, out _));
    });
}
