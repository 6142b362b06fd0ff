using StockNet.Contracts;

namespace StockNet.FrontEnd.Clients;

/// <summary>What a catalog lookup came to.</summary>
public enum CatalogStatus
{
    Found,
    NotFound,
    Unavailable,
}

/// <summary>A catalog lookup's outcome; <see cref="Quote"/> is set when <see cref="Status"/> is Found.</summary>
public readonly record struct CatalogReply(CatalogStatus Status, StockQuote? Quote = null);
