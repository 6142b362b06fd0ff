namespace StockNet.Contracts;

/// <summary>
/// One trade the catalog committed, as <c>GET /trades?after={seq}&amp;limit={n}</c> lists it in sequence order.
/// An order leader reads it to reconcile its log with what the catalog actually applied.
/// </summary>
/// <param name="Sequence">The journal's position, increasing from 1 with every committed trade.</param>
/// <param name="IdempotencyKey">The key the trade was placed with, or null when the caller sent none.</param>
/// <param name="Name">The stock traded.</param>
/// <param name="Type">Buy or sell.</param>
/// <param name="Quantity">The number of shares traded.</param>
/// <param name="QuantityAfter">The stock's quantity right after this trade.</param>
/// <param name="Version">The stock's version right after this trade.</param>
/// <param name="TransactionNumber">The order number the leader reserved for this trade, when it sent one.</param>
public sealed record AppliedTrade(
    long Sequence,
    string? IdempotencyKey,
    string Name,
    TradeType Type,
    int Quantity,
    long QuantityAfter,
    long Version,
    long? TransactionNumber = null);
