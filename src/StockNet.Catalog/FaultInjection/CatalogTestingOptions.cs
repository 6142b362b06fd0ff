using StockNet.Hosting;

namespace StockNet.Catalog.FaultInjection;

/// <summary>
/// Fault hooks for integration tests only, bound from "Catalog:Testing"; every one is off by default, and one that
/// is on refuses to start unless fault injection is allowed (see <see cref="FaultInjectionGate"/>).
/// </summary>
public sealed class CatalogTestingOptions
{
    public const string SectionName = "Catalog:Testing";

    /// <summary>
    /// How long <c>GET /stocks/{name}</c> waits after reading the quote before it replies (zero: not at all).
    /// It forces the cache's stale-put race: a trade and its invalidation can land while the old quote is on its way.
    /// </summary>
    public TimeSpan LookupDelay { get; set; }

    public bool IsOn => LookupDelay > TimeSpan.Zero;
}
