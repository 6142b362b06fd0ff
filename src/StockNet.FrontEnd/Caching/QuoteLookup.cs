using Microsoft.Extensions.Options;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Caching;

/// <summary>A lookup through the cache: a hit answers at once, a miss asks the catalog under a ticket.</summary>
public sealed class QuoteLookup
{
    private readonly LruCache _cache;
    private readonly CatalogClient _catalog;
    private readonly bool _enabled;

    // Set while the catalog does not answer: its invalidation pushes may be lost meanwhile.
    private int _catalogLost;

    public QuoteLookup(LruCache cache, CatalogClient catalog, IOptions<CacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        (_cache, _catalog, _enabled) = (cache, catalog, options.Value.Enabled);
    }

    public bool Enabled => _enabled;

    public LruCache Cache => _cache;

    public async ValueTask<LookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        if (_enabled && _cache.TryGet(name, out var cached))
        {
            return new LookupResult(CatalogStatus.Found, cached, Hit: true);
        }

        // The ticket is taken before the catalog is asked, so an invalidation racing the read refuses the put.
        var ticket = _enabled ? _cache.BeginRead(name) : default;
        var reply = await _catalog.GetQuoteAsync(name, cancellationToken);
        ResyncIfReconnected(reply.Status);
        if (reply.Quote is not { } quote)
        {
            return new LookupResult(reply.Status);
        }

        var fresh = CachedQuote.Create(quote);
        if (_enabled)
        {
            _cache.TryPut(ticket, fresh);
        }

        return new LookupResult(CatalogStatus.Found, fresh);
    }

    /// <summary>
    /// The first answer after the catalog was unreachable empties the cache: pushes sent while it was cut off
    /// (or while it restarted) may never have arrived, and the TTL alone would leave stale entries for seconds.
    /// </summary>
    private void ResyncIfReconnected(CatalogStatus status)
    {
        if (status == CatalogStatus.Unavailable)
        {
            Volatile.Write(ref _catalogLost, 1);
        }
        else if (_enabled && Interlocked.Exchange(ref _catalogLost, 0) == 1)
        {
            _cache.Clear();
        }
    }

    public void Invalidate(string name, long? version)
    {
        if (_enabled)
        {
            _cache.Invalidate(name, version);
        }
    }
}
