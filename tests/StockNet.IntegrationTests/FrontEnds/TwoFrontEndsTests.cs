using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.FrontEnds;

/// <summary>A cluster with two front-ends, each with its own cache and elector; a long TTL, so only pushes refresh a cache.</summary>
public sealed class TwoFrontEndCluster : StockNetCluster
{
    protected override ClusterOptions CreateOptions() => new()
    {
        UseFreePorts = true,
        DataRoot = DataRoot,
        Fresh = true,
        ReadyTimeout = ReadyTimeout,
        FrontEnds = 2,
        CacheTtl = TimeSpan.FromMinutes(5),
    };
}

/// <summary>Two front-ends over one catalog and three replicas: both caches are invalidated, and both agree on one leader.</summary>
public sealed class TwoFrontEndsTests(TwoFrontEndCluster cluster) : ClusterTest<TwoFrontEndCluster>(cluster)
{
    [Fact(Timeout = 60_000)]
    public async Task Trade_ThroughSecondFrontEnd_FirstFrontEndsCacheInvalidated()
    {
        using var first = Cluster.ClientFor(Cluster.Cluster.FrontEnds[0]);
        using var second = Cluster.ClientFor(Cluster.Cluster.FrontEnds[1]);
        await LookupAsync(first, "AMZN");
        var cached = await LookupAsync(first, "AMZN");
        Assert.Equal("HIT", cached.Cache);

        using var content = new StringContent("{\"name\":\"AMZN\",\"type\":\"buy\",\"quantity\":3}", Encoding.UTF8, MediaTypes.Json);
        using var placed = await second.PostAsync(Routes.Orders, content, Cancellation);
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);

        await Eventually.UntilAsync(
            async ct => (await LookupAsync(first, "AMZN")).Quantity == cached.Quantity - 3,
            TimeSpan.FromSeconds(10),
            () => "the first front-end still serves AMZN at " + cached.Quantity,
            Cancellation);
    }

    [Fact(Timeout = 120_000)]
    public async Task KillLeader_BothFrontEndsTrading_BothServeOneLeaderNoStorm()
    {
        await using var viaFirst = new TradeLoad(Cluster.Cluster.FrontEnds[0].BaseUrl, clients: 2);
        await using var viaSecond = new TradeLoad(Cluster.Cluster.FrontEnds[1].BaseUrl, clients: 2);
        viaFirst.Start();
        viaSecond.Start();
        await viaFirst.WaitForMoreAsync(50, TimeSpan.FromSeconds(30), Cancellation);
        await viaSecond.WaitForMoreAsync(50, TimeSpan.FromSeconds(30), Cancellation);

        var leader = await LeaderIdAsync();
        await Cluster.Replica(leader).KillAsync(Cancellation);
        await viaFirst.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        await viaSecond.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        var epoch = await HighestEpochAsync(leader);
        await viaFirst.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        await viaSecond.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);
        await viaFirst.StopAsync();
        await viaSecond.StopAsync();

        Assert.Empty(viaFirst.Errors.Concat(viaSecond.Errors));
        // Once both serve, neither deposes the other's leader: the epoch stands still while both keep trading.
        Assert.Equal(epoch, await HighestEpochAsync(leader));
        int[] live = [.. Enumerable.Range(1, 3).Where(id => id != leader)];
        ClusterChecks.AssertPassed(await ClusterChecks.SettleAndCheckAsync(Cluster, [.. viaFirst.Acknowledged, .. viaSecond.Acknowledged], live, Cancellation));
    }

    private async Task<int> LeaderIdAsync()
    {
        for (var id = 3; id >= 1; id--)
        {
            if ((await ClusterChecks.PingAsync(Cluster, id, Cancellation)) is { IsLeader: true })
            {
                return id;
            }
        }

        throw new InvalidOperationException("No replica leads.");
    }

    private async Task<long> HighestEpochAsync(int except)
    {
        var epochs = new List<long>();
        foreach (var id in Enumerable.Range(1, 3).Where(id => id != except))
        {
            epochs.Add((await ClusterChecks.PingAsync(Cluster, id, Cancellation))?.Epoch ?? 0);
        }

        return epochs.Max();
    }

    private static async Task<(string Cache, long Quantity)> LookupAsync(HttpClient http, string name)
    {
        using var response = await http.GetAsync(Routes.Stock(name), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return (response.Headers.GetValues(Routes.CacheHeader).Single(), body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64());
    }
}
