using Microsoft.Extensions.Time.Testing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;

namespace StockNet.FrontEnd.Tests.Caching;

public sealed class LruCacheTests
{
    private static readonly TimeSpan _ttl = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryPut_BeyondCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new LruCache(2, _ttl, _time);

        Put(cache, "A");
        Put(cache, "B");
        Put(cache, "C");

        Assert.False(cache.TryGet("A", out _));
        Assert.True(cache.TryGet("B", out _));
        Assert.True(cache.TryGet("C", out _));
        Assert.Equal(1, cache.GetStats(enabled: true).Evictions);
    }

    [Fact]
    public void TryGet_Hit_PromotesEntrySoOtherIsEvicted()
    {
        var cache = new LruCache(2, _ttl, _time);
        Put(cache, "A");
        Put(cache, "B");

        Assert.True(cache.TryGet("A", out _));
        Put(cache, "C");

        Assert.True(cache.TryGet("A", out _));
        Assert.False(cache.TryGet("B", out _));
        Assert.True(cache.TryGet("C", out _));
    }

    [Fact]
    public void TryPut_CapacityOne_KeepsOnlyLatest()
    {
        var cache = new LruCache(1, _ttl, _time);

        Put(cache, "A");
        Put(cache, "B");

        Assert.False(cache.TryGet("A", out _));
        Assert.True(cache.TryGet("B", out var quote));
        Assert.Equal("B", quote.Quote.Name);
        Assert.Equal(1, cache.GetStats(enabled: true).Size);
    }

    [Fact]
    public void TryPut_SameName_ReplacesWithoutEviction()
    {
        var cache = new LruCache(2, _ttl, _time);

        Put(cache, "A", quantity: 100, version: 1);
        Put(cache, "A", quantity: 97, version: 2);

        Assert.True(cache.TryGet("A", out var quote));
        Assert.Equal(97, quote.Quote.Quantity);
        Assert.Equal(0, cache.GetStats(enabled: true).Evictions);
    }

    [Fact]
    public void Invalidate_CachedEntry_RemovesIt()
    {
        var cache = new LruCache(5, _ttl, _time);
        Put(cache, "A");

        cache.Invalidate("A", version: null);

        Assert.False(cache.TryGet("A", out _));
        var stats = cache.GetStats(enabled: true);
        Assert.Equal(1, stats.Invalidations);
        Assert.Equal(0, stats.Size);
    }

    [Fact]
    public void TryPut_QuoteOlderThanInvalidatedVersion_IsRefused()
    {
        var cache = new LruCache(5, _ttl, _time);
        cache.Invalidate("A", version: 5);
        var ticket = cache.BeginRead("A");

        Assert.False(cache.TryPut(ticket, Quote("A", 100, version: 4)));
        Assert.False(cache.TryGet("A", out _));
        Assert.True(cache.TryPut(ticket, Quote("A", 95, version: 5)));
    }

    [Fact]
    public void Invalidate_PushArrivesAfterAFreshMissStoredItsVersion_KeepsTheEntry()
    {
        var cache = new LruCache(5, _ttl, _time);
        Assert.True(cache.TryPut(cache.BeginRead("A"), Quote("A", 99, version: 5)));

        cache.Invalidate("A", version: 5);

        Assert.True(cache.TryGet("A", out var kept));
        Assert.Equal(99, kept!.Quote.Quantity);
        cache.Invalidate("A", version: 6);
        Assert.False(cache.TryGet("A", out _));
    }

    [Fact]
    public void TryPut_InvalidationAfterTicket_IsRefused()
    {
        var cache = new LruCache(5, _ttl, _time);
        var ticket = cache.BeginRead("A");

        cache.Invalidate("A", version: null);

        Assert.False(cache.TryPut(ticket, Quote("A", 100, version: 0)));
        Assert.False(cache.TryGet("A", out _));
    }

    [Fact]
    public void TryPut_InvalidationOfOtherNameAfterTicket_IsStored()
    {
        var cache = new LruCache(5, _ttl, _time);
        var ticket = cache.BeginRead("A");

        cache.Invalidate("B", version: null);

        Assert.True(cache.TryPut(ticket, Quote("A", 100, version: 0)));
    }

    [Fact]
    public void TryPut_OlderVersionThanCached_KeepsNewer()
    {
        var cache = new LruCache(5, _ttl, _time);
        Put(cache, "A", quantity: 90, version: 3);

        Assert.False(cache.TryPut(cache.BeginRead("A"), Quote("A", 100, version: 2)));
        Assert.True(cache.TryGet("A", out var quote));
        Assert.Equal(90, quote.Quote.Quantity);
    }

    [Fact]
    public void TryGet_AfterTtl_MissesAndDropsEntry()
    {
        var cache = new LruCache(5, _ttl, _time);
        Put(cache, "A");

        _time.Advance(_ttl - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGet("A", out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(cache.TryGet("A", out _));
        var stats = cache.GetStats(enabled: true);
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(0, stats.Size);
    }

    [Fact]
    public void GetStats_HitsAndMisses_Counted()
    {
        var cache = new LruCache(3, _ttl, _time);
        Put(cache, "A");

        cache.TryGet("A", out _);
        cache.TryGet("A", out _);
        cache.TryGet("B", out _);

        Assert.Equal(new CacheStats(2, 1, 0, 0, 1, 3, true), cache.GetStats(enabled: true));
    }

    [Fact]
    public void CachedQuote_Body_IsDataEnvelopeJson()
    {
        var cached = CachedQuote.Create(new StockQuote("GOOG", 141.2m, 100, 3));

        Assert.Equal(
            """{"data":{"name":"GOOG","price":141.2,"quantity":100,"version":3}}""",
            System.Text.Encoding.UTF8.GetString(cached.Body));
    }

    [Fact]
    public async Task Operations_ManyThreads_StayConsistent()
    {
        var cache = new LruCache(5, _ttl, _time);
        var names = Enumerable.Range(0, 12).Select(i => "S" + i).ToArray();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(
            () =>
            {
                for (var i = 0; i < 5_000; i++)
                {
                    var name = names[(i * 7 + worker) % names.Length];
                    if (!cache.TryGet(name, out _))
                    {
                        cache.TryPut(cache.BeginRead(name), Quote(name, i, version: i));
                    }

                    if (i % 50 == 0)
                    {
                        cache.Invalidate(name, version: null);
                    }
                }
            },
            TestContext.Current.CancellationToken));

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var stats = cache.GetStats(enabled: true);
        Assert.InRange(stats.Size, 0, 5);
        Assert.Equal(8 * 5_000, stats.Hits + stats.Misses);
        Assert.Equal(8 * 100, stats.Invalidations);
    }

    private static StockQuote Quote(string name, long quantity, long version) => new(name, 10m, quantity, version);

    [Fact]
    public void Clear_EntriesAndReadsUnderWay_AllDroppedAndRefused()
    {
        var cache = new LruCache(3, _ttl, _time);
        Put(cache, "A");
        var before = cache.BeginRead("B");

        cache.Clear();

        Assert.False(cache.TryGet("A", out _));
        Assert.False(cache.TryPut(before, Quote("B", 100, 1)));
        Put(cache, "B");
        Assert.True(cache.TryGet("B", out _));
    }

    private static void Put(LruCache cache, string name, long quantity = 100, long version = 1) =>
        Assert.True(cache.TryPut(cache.BeginRead(name), Quote(name, quantity, version)));
}
