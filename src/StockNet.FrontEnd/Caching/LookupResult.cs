using StockNet.Protocol;

namespace StockNet.FrontEnd.Caching;

/// <summary>What a lookup came to; <see cref="Quote"/> is set when <see cref="Status"/> is Found.</summary>
public readonly record struct LookupResult(CatalogStatus Status, CachedQuote? Quote = null, bool Hit = false);
