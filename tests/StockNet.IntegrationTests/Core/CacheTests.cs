using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Core;

/// <summary>The front-end's LRU cache, seen from outside through the X-Cache header: hits, misses, eviction and invalidation.</summary>
public sealed class CacheTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    [Fact(Timeout = 60_000)]
    public async Task Lookup_SixStocksWithCapacityFive_LeastRecentlyUsedIsEvicted()
    {
        foreach (var name in new[] { "APPL", "GOOG", "MSFT", "AMZN", "TSLA" })
        {
            await LookupAsync(name);
        }

        Assert.Equal("HIT", (await LookupAsync("APPL")).Cache);
        Assert.Equal("MISS", (await LookupAsync("META")).Cache);
        Assert.Equal("MISS", (await LookupAsync("GOOG")).Cache);
        Assert.Equal("HIT", (await LookupAsync("APPL")).Cache);
    }

    [Fact(Timeout = 60_000)]
    public async Task Lookup_AfterTrade_MissWithNewQuantity()
    {
        await LookupAsync("NVDA");
        var cached = await LookupAsync("NVDA");
        Assert.Equal("HIT", cached.Cache);

        using var content = new StringContent("{\"stock_name\":\"NVDA\",\"type\":\"buy\",\"quantity\":2}", Encoding.UTF8, MediaTypes.Json);
        using var placed = await Cluster.FrontEndClient.PostAsync(Routes.Orders, content, Cancellation);
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);

        var after = await LookupAsync("NVDA");
        Assert.Equal("MISS", after.Cache);
        Assert.Equal(cached.Quantity - 2, after.Quantity);
    }

    [Fact(Timeout = 60_000)]
    public async Task CacheStats_AfterHitAndMiss_CountsBoth()
    {
        await LookupAsync("IBM");
        await LookupAsync("IBM");

        using var body = JsonDocument.Parse(await Cluster.FrontEndClient.GetStringAsync(Routes.CacheStats, Cancellation));
        var stats = body.RootElement.TryGetProperty("data", out var data) ? data : body.RootElement;
        Assert.True(stats.GetProperty("hits").GetInt64() >= 1);
        Assert.True(stats.GetProperty("misses").GetInt64() >= 1);
    }

    private async Task<(string Cache, long Quantity)> LookupAsync(string name)
    {
        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Stock(name), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return (response.Headers.GetValues(Routes.CacheHeader).Single(), body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64());
    }
}
