using System.Net;
using StockNet.Cluster;
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
        Assert.Equal("stale-epoch", (await Json.ErrorAsync(rival)).Type);
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
