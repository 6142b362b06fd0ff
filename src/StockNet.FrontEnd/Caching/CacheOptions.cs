namespace StockNet.FrontEnd.Caching;

/// <summary>The front-end's quote cache.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>When off, every lookup goes to the catalog.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many quotes the cache holds; at least 1. The default is below the catalog's size so LRU is exercised.</summary>
    public int Capacity { get; set; } = 5;

    /// <summary>How long a cached quote lives; bounds staleness should an invalidation be lost.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(5);
}
