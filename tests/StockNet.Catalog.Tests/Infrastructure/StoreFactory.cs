using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Catalog.Invalidation;

namespace StockNet.Catalog.Tests.Infrastructure;

/// <summary>Opens a <see cref="CatalogStore"/> in a directory without a host.</summary>
internal static class StoreFactory
{
    public static CatalogStore Open(string dataDir, string? catalogFile = null, bool cacheEnabled = true) =>
        Open(new CatalogOptions { DataDir = dataDir, CatalogFile = catalogFile, CacheEnabled = cacheEnabled }, out _);

    public static CatalogStore Open(CatalogOptions options, out InvalidationQueue queue)
    {
        var wrapped = Options.Create(options);
        queue = new InvalidationQueue(wrapped);
        var store = new CatalogStore(wrapped, queue, NullLogger<CatalogStore>.Instance);
        store.Open();
        return store;
    }
}
