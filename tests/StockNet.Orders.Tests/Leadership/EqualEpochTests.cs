using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders.Leadership;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Leadership;

/// <summary>At most one leader per epoch: a replica refuses a different leader at the epoch it already holds.</summary>
public sealed class EqualEpochTests
{
    [Fact]
    public Task SetLeader_DifferentLeaderAtEqualEpoch_409StaleEpoch() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());

        using var first = await node.SetLeaderAsync(urls[2], 4);
        using var repeated = await node.SetLeaderAsync(urls[2], 4);
        using var rival = await node.SetLeaderAsync(urls[1], 4);
        using var newer = await node.SetLeaderAsync(urls[1], 5);

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.OK),
            (first.StatusCode, repeated.StatusCode, rival.StatusCode, newer.StatusCode));
        var refusal = await Json.ErrorAsync(rival);
        Assert.Equal(("stale-epoch", "Epoch 4 is this replica's already, with another leader or one that stepped down in it: a leader needs a newer epoch."), (refusal.Type, refusal.Message));
        var ping = await node.PingAsync();
        Assert.Equal((urls[1], 5L), (ping.LeaderId, ping.Epoch));
    });

    [Fact]
    public Task SetLeader_TwoElectorsRaceAtOneEpoch_AtMostOneLeader() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        var nodes = new List<ReplicaNode>();
        try
        {
            for (var id = 1; id <= 3; id++)
            {
                nodes.Add(await ReplicaNode.StartAsync(id, urls, dir.File(id.ToString(System.Globalization.CultureInfo.InvariantCulture)), catalog.Url));
            }

            foreach (var node in nodes)
            {
                await node.WaitReadyAsync();
            }

            // Two front-ends elect at the same epoch, each crowning a different replica and telling it first, as
            // an elector does; both announce to every replica at once.
            await Task.WhenAll(ElectAsync(nodes, crowned: 3, order: [3, 1, 2]), ElectAsync(nodes, crowned: 2, order: [2, 1, 3]));

            await Eventually.UntilAsync(async () => !(await RecoveringAsync(nodes)), "every candidate finished recovery");
            var pings = await Task.WhenAll(nodes.Select(n => n.PingAsync()));
            var leaders = pings.Where(p => p is { IsLeader: true, Epoch: 7 }).ToList();
            Assert.True(leaders.Count <= 1, "two leaders at epoch 7: " + string.Join(", ", leaders.Select(p => p.ReplicaId)));
            foreach (var leader in leaders)
            {
                var url = nodes[leader.ReplicaId - 1].Url;
                Assert.Contains(pings, p => p.ReplicaId != leader.ReplicaId && p.LeaderId == url && p.Epoch == 7);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    });

    [Fact]
    public Task SetLeader_Self_AnotherLeaderNamedAtANewerEpochRightAfter_RecoveryAnnouncesOnlyTheEpochItWasNamedAt() => PortRace.RetryAsync(async () =>
    {
        using var dir = new TempDirectory();
        string[] urls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        var heard = new System.Collections.Concurrent.ConcurrentQueue<(string Peer, LeaderAnnouncement Announcement)>();
        await using var peer2 = await RecordingPeerAsync(urls[1], heard);
        await using var peer3 = await RecordingPeerAsync(urls[2], heard);
        await using var node = await ReplicaNode.StartAsync(1, urls, dir.File("1"), FreePorts.LoopbackUrl());
        await node.WaitReadyAsync();

        // Another front-end names replica 2 leader at epoch 6 between this replica's acceptance of epoch 5 and the
        // recovery that acceptance starts.
        var state = node.Services.GetRequiredService<ReplicaState>();
        state.AfterAnnounce = () =>
        {
            state.AfterAnnounce = null;
            Assert.Equal(AnnouncementOutcome.StartResync, state.Announce(urls[1], 6).Outcome);
        };
        using var named = await node.SetLeaderAsync(node.Url, 5);
        await Eventually.UntilAsync(() => Task.FromResult(heard.Count >= 2), "the recovery's fence reaches both peers", TimeSpan.FromSeconds(30));

        // Its recovery fences at 5, the epoch it was named at: announcing itself at 6 would make a peer that has not heard
        // of replica 2 yet refuse replica 2's own fence at 6, and depose the real leader of that epoch.
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.All(heard, h => Assert.Equal((node.Url, 5L), (h.Announcement.LeaderId, h.Announcement.Epoch ?? -1)));
        var ping = await node.PingAsync();
        Assert.Equal((urls[1], 6L, false), (ping.LeaderId, ping.Epoch, ping.IsLeader));
    });

    /// <summary>A peer that accepts every announcement and records it; it answers nothing else.</summary>
    private static Task<StubServer> RecordingPeerAsync(
        string url, System.Collections.Concurrent.ConcurrentQueue<(string Peer, LeaderAnnouncement Announcement)> heard) =>
        StubServer.StartAsync(
            app => app.MapPost(Routes.SetLeader, (LeaderAnnouncement announcement) =>
            {
                heard.Enqueue((url, announcement));
                return TypedResults.Ok();
            }),
            url);

    private static async Task<bool> RecoveringAsync(List<ReplicaNode> nodes)
    {
        var pings = await Task.WhenAll(nodes.Select(n => n.PingAsync()));
        return pings.Where((p, i) => p.LeaderId == nodes[i].Url && !p.IsLeader).Any();
    }

    private static async Task ElectAsync(List<ReplicaNode> nodes, int crowned, int[] order)
    {
        var leaderUrl = nodes[crowned - 1].Url;
        // Like a front-end's elector: the crowned replica first, and nobody else if it refuses.
        using var crownedReply = await nodes[crowned - 1].SetLeaderAsync(leaderUrl, 7);
        if (crownedReply.StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        foreach (var id in order.Skip(1))
        {
            using var response = await nodes[id - 1].SetLeaderAsync(leaderUrl, 7);
        }
    }
}
