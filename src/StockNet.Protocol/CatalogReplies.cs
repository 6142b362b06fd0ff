using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>What a catalog lookup came to.</summary>
public enum CatalogStatus
{
    Found,
    NotFound,
    Unavailable,
}

/// <summary>A catalog lookup's outcome; <see cref="Quote"/> is set when <see cref="Status"/> is Found.</summary>
public readonly record struct CatalogReply(CatalogStatus Status, StockQuote? Quote = null);

/// <summary>
/// The catalog's answer to a trade, reduced to what the leader needs, in the statuses the single trade route
/// (<c>POST /stocks/{name}</c>) answers: 200 traded, 400 refused (with the catalog's message and type), 404 unknown
/// stock, 422 key reused, or 503 when the catalog could not be reached or failed.
/// </summary>
public sealed record CatalogOutcome(int Status, string Message, string? Type = null, long? TransactionNumber = null)
{
    public static CatalogOutcome Traded { get; } = new(200, "traded");

    public static CatalogOutcome Unavailable { get; } = new(503, "The catalog is unavailable.", ErrorTypes.CatalogUnavailable);

    /// <summary>Traded; <paramref name="transactionNumber"/> is the number the catalog journaled with the key, when it did.</summary>
    public static CatalogOutcome TradedAs(long? transactionNumber) => transactionNumber is null ? Traded : new(200, "traded", null, transactionNumber);

    /// <summary>One trade's result in a <c>POST /trades</c> reply; an outcome this contract does not know is no answer.</summary>
    public static CatalogOutcome For(TradeResult result) => result.Outcome switch
    {
        TradeResult.Executed => TradedAs(result.TransactionNumber),
        ErrorTypes.InsufficientStock or ErrorTypes.BadRequest => Refused(400, result),
        ErrorTypes.UnknownStock => Refused(404, result),
        ErrorTypes.IdempotencyKeyReused => Refused(422, result),
        _ => Unavailable,
    };

    private static CatalogOutcome Refused(int status, TradeResult result) =>
        new(status, result.Message ?? "The catalog refused the trade.", result.Outcome);
}
