using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>How a trade request ended.</summary>
internal enum TradeStatus
{
    /// <summary>The trade was committed now.</summary>
    Applied,

    /// <summary>The idempotency key was seen before; the first result is answered and nothing changed.</summary>
    Replayed,

    /// <summary>No stock of that name.</summary>
    UnknownStock,

    /// <summary>A buy asked for more than is available; nothing changed.</summary>
    InsufficientStock,

    /// <summary>The idempotency key was journaled with a different trade (stock, type or quantity); nothing changed.</summary>
    KeyReused,
}

/// <summary>A trade as the journal holds it under its idempotency key: the quote after it, its order number, and what it traded.</summary>
internal sealed record JournaledTrade(StockQuote Quote, long? TransactionNumber, CatalogTrade Trade);

/// <summary>
/// The result of a trade at the <see cref="CatalogStore"/>: the quote after the trade, or the unchanged one when refused,
/// and the order number journaled with the trade (a replay answers the first attempt's).
/// </summary>
internal readonly record struct TradeOutcome(TradeStatus Status, StockQuote? Quote, long? TransactionNumber = null);
