namespace StockNet.Catalog;

/// <summary>Settings of the catalog service, bound from the "Catalog" section.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Directory holding <c>catalog.db</c>; created when missing.</summary>
    public string DataDir { get; set; } = "data/catalog";

    /// <summary>
    /// Base address of every front-end that receives cache invalidations, comma-separated: each front-end has its
    /// own cache, so each gets every push.
    /// </summary>
    public string FrontEndUrl { get; set; } = "http://127.0.0.1:9001";

    /// <summary>The front-ends of <see cref="FrontEndUrl"/>, parsed; entries that are not http(s) URLs are left out (the validator reports them).</summary>
    public IReadOnlyList<Uri> FrontEnds =>
        [.. FrontEndUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(uri => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)];

    /// <summary>When false, no invalidation is pushed to the front-end.</summary>
    public bool CacheEnabled { get; set; } = true;

    /// <summary>Optional CSV (<c>name,price,quantity</c> with a header row), imported only when a new store is created.</summary>
    public string? CatalogFile { get; set; }

    /// <summary>How long one invalidation attempt may take.</summary>
    public TimeSpan InvalidationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many times an invalidation is tried before it is dropped.</summary>
    public int InvalidationAttempts { get; set; } = 3;
}
