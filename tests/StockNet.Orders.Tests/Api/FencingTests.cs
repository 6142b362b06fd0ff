using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Orders.Leadership;
using StockNet.Orders.Replication;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Api;

public sealed class FencingTests
{
    private const string Entry = """{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1,"epoch":EPOCH}""";

    [Fact]
    public Task SetLeader_OlderEpoch_409StaleEpoch() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());

        using var newer = await node.SetLeaderAsync(urls[1], 5);
        using var older = await node.SetLeaderAsync(urls[0], 4);

        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, older.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(older)).Type);
        var ping = await node.PingAsync();
        Assert.Equal((urls[1], 5L, false), (ping.LeaderId, ping.Epoch, ping.IsLeader));
    });

    [Fact]
    public Task SetLeader_UrlNotInList_400UnknownReplicaAndStillFollowerOfNone() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());

        using var refused = await node.SetLeaderAsync(urls[1].Replace("127.0.0.1", "localhost", StringComparison.Ordinal), 5);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unknown-replica", (await Json.ErrorAsync(refused)).Type);
        var ping = await node.PingAsync();
        Assert.Null(ping.LeaderId);
    });

    [Fact]
    public Task SetLeader_NoEpoch_AcceptedAtCurrentEpoch() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        using var first = await node.SetLeaderAsync(urls[0], 3);

        using var seed = await node.SetLeaderAsync(urls[1], null);

        Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
        var ping = await node.PingAsync();
        Assert.Equal((urls[1], 3L), (ping.LeaderId, ping.Epoch));
    });

    [Fact]
    public Task SetLeader_EpochSurvivesRestart_OlderRefused() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using (var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl()))
        {
            using var announced = await node.SetLeaderAsync(urls[1], 9);
        }

        await using var restarted = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        using var older = await restarted.SetLeaderAsync(urls[1], 8);

        Assert.Equal(HttpStatusCode.Conflict, older.StatusCode);
        Assert.Equal(9, (await restarted.PingAsync()).Epoch);
    });

    [Fact]
    public Task ReplicateOrder_EpochsOlderSameNewer_RefusedStoredAdopted() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        using var announced = await node.SetLeaderAsync(urls[1], 5);

        using var older = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "4"));
        using var same = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "5"));
        using var repeated = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "5"));
        using var newer = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "6").Replace("GOOG", "IBM"));

        Assert.Equal(HttpStatusCode.Conflict, older.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(older)).Type);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (same.StatusCode, repeated.StatusCode, newer.StatusCode));
        Assert.True(node.Log.TryGet(0, out var stored));
        Assert.Equal(new OrderEntry(0, "IBM", TradeType.Buy, 1, null, 6), stored);
        Assert.Equal(6, (await node.PingAsync()).Epoch);
    });

    [Fact]
    public Task ReplicateOrder_NewerEpochThanTheAnnouncedLeaders_PingNamesNoLeaderRatherThanTheOldOne() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        using var announced = await node.SetLeaderAsync(urls[1], 5);

        using var newer = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "6"));
        var ping = await node.PingAsync();

        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        Assert.Equal(6, ping.Epoch);
        Assert.Null(ping.LeaderId);
    });

    [Fact]
    public Task ReplicateOrders_Batch_StoredInOrderAndStaleBatchRefused() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var node = await FollowerAsync(dir, 3);
        const string Batch = """{"data":[{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1,"idempotency_key":"a","epoch":3},{"transaction_number":1,"name":"IBM","type":"sell","quantity":2,"idempotency_key":"b","epoch":3}]}""";

        using var stored = await node.PostJsonAsync(Routes.ReplicateOrders, Batch);
        using var stale = await node.PostJsonAsync(Routes.ReplicateOrders, Batch.Replace("\"epoch\":3", "\"epoch\":2").Replace("GOOG", "AMD"));

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(stale)).Type);
        Assert.Equal(
            [new OrderEntry(0, "GOOG", TradeType.Buy, 1, "a", 3), new OrderEntry(1, "IBM", TradeType.Sell, 2, "b", 3)],
            node.Log.ReadAfter(-1));
    });

    [Fact]
    public Task ReplicateOrders_EpochsRisingWithinTheBatch_RefusedWholeNothingStored() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var node = await FollowerAsync(dir, 1);
        const string Batch = """{"data":[{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1,"idempotency_key":"a","epoch":2},{"transaction_number":1,"name":"IBM","type":"buy","quantity":1,"idempotency_key":"b","epoch":3}]}""";

        using var mixed = await node.PostJsonAsync(Routes.ReplicateOrders, Batch);

        Assert.Equal(HttpStatusCode.Conflict, mixed.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(mixed)).Type);
        Assert.Empty(node.Log.ReadAfter(-1));
    });

    [Fact]
    public Task ReplicateOrder_NewerEpochRightAfterTheStore_StoredAndAnswered200() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var node = await FollowerAsync(dir, 3);
        RaiseEpochOnceAfterTheNextStore(node.Log, 4);

        using var response = await node.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([new OrderEntry(0, "GOOG", TradeType.Buy, 1, null, 3)], node.Log.ReadAfter(-1));
        Assert.Equal(4, node.Log.Epoch);
    });

    [Fact]
    public Task ReplicateOrders_NewerEpochRightAfterTheStore_StoredAndAnswered200() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var node = await FollowerAsync(dir, 3);
        RaiseEpochOnceAfterTheNextStore(node.Log, 4);
        const string Batch = """{"data":[{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1,"idempotency_key":"a","epoch":3}],"positions":[{"index":1,"epoch":3}]}""";

        using var response = await node.PostJsonAsync(Routes.ReplicateOrders, Batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([new OrderEntry(0, "GOOG", TradeType.Buy, 1, "a", 3)], node.Log.ReadAfter(-1));
        Assert.Equal(4, node.Log.Epoch);
    });

    [Theory]
    [InlineData(Routes.ReplicateOrder, """{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1}""")]
    [InlineData(Routes.ReplicateOrders, """{"data":[{"transaction_number":0,"name":"GOOG","type":"buy","quantity":1,"idempotency_key":"a"}]}""")]
    public Task Replicate_NoEpoch_NewerEpochRightAfterTheCheck_RefusedNotStoredAtTheNewEpoch(string route, string body) => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var node = await FollowerAsync(dir, 3);
        AnnounceNewerEpochOnceAfterTheNextCheck(node, 4);

        using var response = await node.PostJsonAsync(route, body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(response)).Type);
        Assert.Empty(node.Log.ReadAfter(-1));
        Assert.Equal(4, node.Log.Epoch);
    });

    [Fact]
    public async Task ReplicateOrder_OnLeader_409NotFollower()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);

        using var response = await leader.PostJsonAsync(Routes.ReplicateOrder, Entry.Replace("EPOCH", "1"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not-follower", (await Json.ErrorAsync(response)).Type);
        Assert.Equal(-1, leader.Log.MaxTransaction);
    }

    [Fact]
    public Task PlaceOrder_FollowerReportsStaleEpoch_LeaderStepsDownAnd503() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var newerPeer = await StubServer.StartAsync(
            app =>
            {
                // It accepts the candidate's epoch (two of two make the majority it needs) and learns of a newer one later.
                app.MapPost(Routes.SetLeader, () => TypedResults.Ok());
                app.MapPost(Routes.ReplicateOrders, () => ApiResults.Error(StatusCodes.Status409Conflict, "newer epoch", "stale-epoch"));
                app.MapGet(Routes.GetMissingOrders + "/{n}", () => TypedResults.Ok(new DataEnvelope<OrderEntry[]>([])));
            },
            urls[1]);
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await node.WaitReadyAsync();
        using var announced = await node.SetLeaderAsync(node.Url, 1);
        await Eventually.UntilAsync(async () => (await node.PingAsync()).IsLeader, "replica 1 leads");

        using var response = await node.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""", "k");
        using var next = await node.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""", "k2");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not-leader", (await Json.ErrorAsync(response)).Type);
        Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
        Assert.False((await node.PingAsync()).IsLeader);
    });

    [Fact]
    public Task SetLeader_Self_PeerKnowsNewerEpoch_RecoveryAbandonedStaysFollower() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var newerPeer = await StubServer.StartAsync(
            app => app.MapPost(Routes.SetLeader, () => ApiResults.Error(StatusCodes.Status409Conflict, "newer epoch", "stale-epoch")),
            urls[1]);
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        await node.WaitReadyAsync();

        using var announced = await node.SetLeaderAsync(node.Url, 1);
        await Eventually.UntilAsync(async () => (await node.PingAsync()).LeaderId is null, "replica 1 steps down");

        using var response = await node.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await node.PingAsync()).IsLeader);
    });

    [Fact]
    public Task PlaceOrder_WhileLeaderRecovers_503RecoveringWithRetryAfter() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = 0;
        await using var slowPeer = await StubServer.StartAsync(
            app =>
            {
                app.MapPost(Routes.SetLeader, () => TypedResults.Ok());
                app.MapPost(Routes.ReplicateOrders, () => TypedResults.Ok());
                app.MapGet(Routes.LogPosition, () => TypedResults.Ok(new LogPositionReply(0, [])));
                app.MapGet(Routes.LogSuffix + "/{n}", async (HttpResponse response) =>
                {
                    // The first ask is the start-up catch-up; hold the second, the leader recovery.
                    if (Interlocked.Increment(ref asked) > 1)
                    {
                        await release.Task;
                    }

                    response.Headers[Routes.LogThroughHeader] = "0";
                    response.Headers[Routes.LogEpochsHeader] = string.Empty;
                    return TypedResults.Ok(new[] { new LogRecord(new OrderEntry(4, "IBM", TradeType.Sell, 1, "peer", 0), OrderLog.Unplaced, 0) });
                });
            },
            urls[1]);
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), catalog.Url);
        await node.WaitReadyAsync();

        using var announced = await node.SetLeaderAsync(node.Url, 1);
        using var early = await node.PostJsonAsync(Routes.Orders, """{"name":"GOOG","type":"buy","quantity":1}""");
        release.SetResult(true);
        await Eventually.UntilAsync(async () => (await node.PingAsync()).IsLeader, "replica 1 leads");

        Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal("recovering", (await Json.ErrorAsync(early)).Type);
        Assert.Equal("1", early.Headers.RetryAfter?.ToString());
        Assert.Equal(5, await node.PlaceAsync("GOOG", 1));
    });

    // A newer leader's epoch arrives between the next replicated store and its answer: the entry was stored before it, so
    // the sender may count it (the new leader's recovery reads it here once this replica accepted its epoch).
    private static void RaiseEpochOnceAfterTheNextStore(OrderLog log, long epoch) => log.AfterStore = () =>
    {
        log.AfterStore = null;
        Assert.True(log.TryRaiseEpoch(epoch));
    };

    // An entry without an epoch (a seed leader's) passed the fence at the epoch it found; a leader is announced at the
    // newer epoch before the entry is stored. That leader's recovery may already have read this log, so the entry must be
    // judged at the epoch it was checked at (refused), not stamped with the newer one and written.
    private static void AnnounceNewerEpochOnceAfterTheNextCheck(ReplicaNode node, long epoch)
    {
        var state = node.Services.GetRequiredService<ReplicaState>();
        var leader = state.Current.LeaderUrl!;
        state.AfterReplicationCheck = () =>
        {
            state.AfterReplicationCheck = null;
            Assert.Equal(AnnouncementOutcome.StartResync, state.Announce(leader, epoch).Outcome);
        };
    }

    /// <summary>Replica 1 of two, following replica 2 at <paramref name="epoch"/>.</summary>
    private static async Task<ReplicaNode> FollowerAsync(TempDirectory dir, long epoch)
    {
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        using var announced = await node.SetLeaderAsync(urls[1], epoch);
        Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
        return node;
    }
}
