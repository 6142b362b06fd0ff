using Microsoft.Extensions.Options;
using StockNet.FrontEnd.Clients;

namespace StockNet.FrontEnd.Caching;

/// <summary>A lookup through the cache: a hit answers at once, a miss asks the catalog under a ticket.</summary>
public sealed class QuoteLookup
{
    private readonly LruCache _cache;
    private readonly CatalogClient _catalog;
    private readonly bool _enabled;

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

    public void Invalidate(string name, long? version)
    {
        if (_enabled)
        {
            _cache.Invalidate(name, version);
        }
    }
}
