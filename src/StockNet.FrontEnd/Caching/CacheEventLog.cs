using StockNet.Contracts;

namespace StockNet.FrontEnd.Caching;

/// <summary>
/// What happened to the cache, as a bounded ring the cache writes under its own lock: a struct per event and
/// no allocation, so the hot path pays a timestamp and a store. Readers copy out what came after the last
/// event they saw; a reader slower than the ring learns how many it missed.
/// </summary>
internal sealed class CacheEventLog(int capacity, TimeProvider time)
{
    private readonly Event[] _ring = new Event[capacity];
    private readonly long _anchorTimestamp = time.GetTimestamp();
    private readonly long _anchorUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
    private long _next;

    /// <summary>The sequence number the next event gets (events are numbered from 0).</summary>
    public long Next => _next;

    /// <summary>Call under the cache's lock.</summary>
    public void Add(CacheEventKind kind, string name, long timestamp)
    {
        _ring[_next % _ring.Length] = new Event(kind, name, timestamp);
        _next++;
    }

    /// <summary>Call under the cache's lock. The events after <paramref name="after"/> (-1: all still held), at most the ring's size.</summary>
    public CacheEventView[] After(long after, out long missed)
    {
        var first = Math.Max(after + 1, _next - _ring.Length);
        first = Math.Max(first, 0);
        missed = Math.Max(0, first - (after + 1));
        var events = new CacheEventView[Math.Max(0, _next - first)];
        for (var i = 0; i < events.Length; i++)
        {
            var sequence = first + i;
            var item = _ring[sequence % _ring.Length];
            events[i] = new CacheEventView(sequence, UnixMs(item.Timestamp), Name(item.Kind), item.Name);
        }

        return events;
    }

    private long UnixMs(long timestamp) => _anchorUnixMs + (long)time.GetElapsedTime(_anchorTimestamp, timestamp).TotalMilliseconds;

    private static string Name(CacheEventKind kind) => kind switch
    {
        CacheEventKind.Hit => CacheEventKinds.Hit,
        CacheEventKind.Miss => CacheEventKinds.Miss,
        CacheEventKind.Put => CacheEventKinds.Put,
        CacheEventKind.Evict => CacheEventKinds.Evict,
        CacheEventKind.Invalidate => CacheEventKinds.Invalidate,
        CacheEventKind.Refused => CacheEventKinds.Refused,
        CacheEventKind.Expire => CacheEventKinds.Expire,
        _ => CacheEventKinds.Clear,
    };

    private readonly record struct Event(CacheEventKind Kind, string Name, long Timestamp);
}

internal enum CacheEventKind : byte
{
    Hit,
    Miss,
    Put,
    Evict,
    Invalidate,
    Refused,
    Expire,
    Clear,
}
