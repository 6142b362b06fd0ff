using Microsoft.Extensions.Time.Testing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;

namespace StockNet.FrontEnd.Tests.Caching;

public sealed class CacheContentsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void GetContents_AfterLookups_ListsEntriesMostRecentFirstAndEveryEvent()
    {
        var cache = new LruCache(2, TimeSpan.FromSeconds(5), _time);
        Assert.False(cache.TryGet("A", out _));
        Put(cache, "A");
        Put(cache, "B");
        Assert.True(cache.TryGet("A", out _));
        Put(cache, "C");
        cache.Invalidate("A", version: 2);

        var contents = cache.GetContents(after: -1, enabled: true);

        Assert.Equal(["C"], contents.Entries.Select(e => e.Name));
        Assert.Equal(
            ["miss A", "put A", "put B", "hit A", "evict B", "put C", "invalidate A"],
            contents.Events.Select(e => $"{e.Kind} {e.Name}"));
        Assert.Equal(6, contents.Next);
        Assert.Equal(0, contents.Missed);
    }

    [Fact]
    public void GetContents_AfterSequence_ReturnsOnlyLaterEvents()
    {
        var cache = new LruCache(2, TimeSpan.FromSeconds(5), _time);
        Put(cache, "A");
        var first = cache.GetContents(after: -1, enabled: true);
        Assert.True(cache.TryGet("A", out _));

        var next = cache.GetContents(first.Next, enabled: true);

        Assert.Equal([CacheEventKinds.Hit], next.Events.Select(e => e.Kind));
        Assert.Equal(first.Next + 1, next.Events[0].Sequence);
    }

    [Fact]
    public void GetContents_ReaderSlowerThanRing_CountsMissedEvents()
    {
        var cache = new LruCache(1, TimeSpan.FromSeconds(5), _time);
        for (var i = 0; i < LruCache.EventCapacity + 10; i++)
        {
            cache.TryGet("A", out _);
        }

        var contents = cache.GetContents(after: -1, enabled: true);

        Assert.Equal(LruCache.EventCapacity, contents.Events.Length);
        Assert.Equal(10, contents.Missed);
        Assert.Equal(10, contents.Events[0].Sequence);
    }

    [Fact]
    public void TryPut_StaleAfterInvalidation_CountsAndLogsRefusal()
    {
        var cache = new LruCache(2, TimeSpan.FromSeconds(5), _time);
        var ticket = cache.BeginRead("A");
        cache.Invalidate("A", version: null);

        Assert.False(cache.TryPut(ticket, new StockQuote("A", 1m, 100, 1)));

        Assert.Equal(1, cache.GetStats(enabled: true).RefusedPuts);
        Assert.Equal(CacheEventKinds.Refused, cache.GetContents(-1, enabled: true).Events[^1].Kind);
    }

    private static void Put(LruCache cache, string name) =>
        Assert.True(cache.TryPut(cache.BeginRead(name), new StockQuote(name, 1m, 100, 1)));
}
