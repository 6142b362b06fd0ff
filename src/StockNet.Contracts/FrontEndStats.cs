namespace StockNet.Contracts;

/// <summary>
/// <c>GET /cache/stats</c> on the front-end: the LRU cache's counters since start, its current size and
/// capacity, and whether caching is on at all. <see cref="RefusedPuts"/> counts quotes read by a miss that were
/// not stored because an invalidation came while they were read.
/// </summary>
public sealed record CacheStats(
    long Hits,
    long Misses,
    long Evictions,
    long Invalidations,
    int Size,
    int Capacity,
    bool Enabled,
    long RefusedPuts = 0);
