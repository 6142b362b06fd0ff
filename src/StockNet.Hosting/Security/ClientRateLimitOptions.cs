namespace StockNet.Hosting.Security;

/// <summary>
/// Per-client limits on unsigned (public) requests, bound from "RateLimit". A client is its remote address, or the
/// address a trusted proxy forwarded. Signed cluster requests are never limited. The default rate sits below what a
/// 2-core machine serves (about 45,000 cached lookups a second), so that one flooding client cannot take the cores
/// another client's trades need, and far above what one person or program trading sends; a load test from one
/// address raises it or turns it off (<c>stocknet bench</c> and <c>load</c> do so in the clusters they start).
/// </summary>
public sealed class ClientRateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests a second one client may make on average; 0 turns the rate limit off.</summary>
    public int PermitsPerSecond { get; set; } = 20_000;

    /// <summary>Requests one client may make at once above the average (the token bucket's size); 0 means <see cref="PermitsPerSecond"/>.</summary>
    public int Burst { get; set; }

    /// <summary>
    /// Requests over the rate that wait their turn (oldest first) instead of a 429; beyond this many, 429. Waiting
    /// is what holds a flooding client back: a refusal costs the server about as much as an answer, so a client
    /// refused at once just asks again and keeps the cores busy, while one kept waiting asks no faster than its rate.
    /// </summary>
    public int QueuedRequests { get; set; } = 512;

    /// <summary>Requests one client may have in flight at once; more get a 429 at once.</summary>
    public int ConcurrentRequests { get; set; } = 512;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For is believed; from anyone else it is ignored.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
