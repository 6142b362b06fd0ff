namespace StockNet.Contracts;

/// <summary>
/// <c>GET /status</c> on a front-end: the cluster as this front-end sees it right now. What <c>stocknet status</c>
/// prints and the dashboard draws. Read-only.
/// </summary>
public sealed record ClusterStatus(
    string FrontEnd,
    DateTimeOffset At,
    int? LeaderId,
    long Epoch,
    ReplicaStatus[] Replicas,
    ServiceStatus Catalog,
    CacheStats Cache,
    TrafficStats Traffic,
    ClusterEvent[] Events);

/// <summary>
/// One order replica: whether it answered its ping, its role (leader, recovering, follower, down), its epoch,
/// its log head (highest order number) and how far that is behind the leader's.
/// </summary>
public sealed record ReplicaStatus(int Id, string Url, bool Up, bool Ready, string Role, long? Epoch, long? MaxTransaction, long? Lag);

/// <summary>A service that is only up or down: the catalog.</summary>
public sealed record ServiceStatus(string Url, bool Up, bool Ready);

/// <summary>The front-end's requests over the last <see cref="WindowSeconds"/>: rates and latency percentiles (milliseconds).</summary>
public sealed record TrafficStats(
    double WindowSeconds,
    double TradesPerSecond,
    double TradeP50Ms,
    double TradeP99Ms,
    double LookupsPerSecond,
    double LookupP50Ms,
    double LookupP99Ms);

/// <summary>Something that happened to the cluster: an election, a leader lost, a replica down or back, the catalog lost.</summary>
public sealed record ClusterEvent(long Sequence, DateTimeOffset At, string Kind, string Message);

/// <summary>
/// <c>GET /cache/contents?after=N</c>: the cache's entries, most recently used first, and what happened to it
/// after event <c>N</c> (hits, misses, puts, evictions, invalidations, refused puts, expiries, clears).
/// <see cref="Next"/> is the <c>after</c> of the next call; <see cref="Missed"/> counts events that were
/// overwritten before this reader asked (the log is a bounded ring).
/// </summary>
public sealed record CacheContents(int Capacity, bool Enabled, CacheEntryView[] Entries, CacheEventView[] Events, long Next, long Missed);

/// <summary>One cached quote and how long ago it was stored.</summary>
public sealed record CacheEntryView(string Name, long Version, long Quantity, double AgeMs);

/// <summary>
/// One cache event at a Unix time in milliseconds. <see cref="Kind"/> is hit, miss, put, evict, invalidate,
/// refused, expire or clear; for a put that evicted, a separate evict event names the victim.
/// </summary>
public sealed record CacheEventView(long Sequence, long AtUnixMs, string Kind, string Name);

/// <summary>The event kinds of <see cref="CacheEventView"/>, as the wire spells them.</summary>
public static class CacheEventKinds
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Put = "put";
    public const string Evict = "evict";
    public const string Invalidate = "invalidate";
    public const string Refused = "refused";
    public const string Expire = "expire";
    public const string Clear = "clear";
}
