using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>
/// <c>POST /trades</c> (catalog, internal): trades the order leader sends together, <c>{"data": [trade, ...]}</c>, at most
/// <see cref="Limits.MaxTradeBatch"/>. The catalog applies them in order in one transaction, each exactly as
/// <c>POST /stocks/{name}</c> would, and answers one <see cref="TradeResult"/> per trade in the same order.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TradeBatch([property: JsonRequired] BatchedTrade[] Data);

/// <summary>
/// One trade of a <see cref="TradeBatch"/>: what <c>POST /stocks/{name}</c> carries in its path, body and headers. A
/// repeated <see cref="IdempotencyKey"/> answers the first result and trades nothing; <see cref="TransactionNumber"/> is
/// the order number the leader reserved, journaled with the trade.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchedTrade(
    [property: JsonRequired] string Name,
    [property: JsonRequired] TradeType Type,
    [property: JsonRequired]
    [property: JsonConverter(typeof(WholeNumberConverter))]
    int Quantity,
    string? IdempotencyKey = null,
    long? TransactionNumber = null);

/// <summary>
/// How one trade of a batch ended. <see cref="Outcome"/> is <see cref="Executed"/> (applied now, or earlier under the same
/// key) with the quote after the trade and the journaled number, or the error type the single route would answer
/// (<c>insufficient-stock</c>, <c>unknown-stock</c>, <c>idempotency-key-reused</c>) with its message; nothing changed for those.
/// </summary>
public sealed record TradeResult(string Outcome, StockQuote? Quote = null, long? TransactionNumber = null, string? Message = null)
{
    /// <summary>The outcome of a trade the catalog applied (now, or the first time its key came).</summary>
    public const string Executed = "executed";
}
