using StockNet.Contracts;

namespace StockNet.Orders.Replication;

/// <summary>The follower's side of replication: check an incoming entry, then store it idempotently.</summary>
public static class ReplicatedEntry
{
    /// <summary>Null when the entry is well formed, else one sentence saying what is wrong.</summary>
    public static string? Validate(OrderEntry? entry) => entry switch
    {
        null => "The body must be an order entry: {\"transaction_number\", \"name\", \"type\", \"quantity\"}.",
        { TransactionNumber: < 0 } => "The field 'transaction_number' must be a non-negative integer.",
        { Name: var name } when !StockNames.IsValid(name) => "The field 'name' must be a valid stock name.",
        { Type: not (TradeType.Buy or TradeType.Sell) } => "The field 'type' must be \"buy\" or \"sell\".",
        { Quantity: < 1 or > TradeRequest.MaxQuantity } => $"The field 'quantity' must be from 1 to {TradeRequest.MaxQuantity}.",
        { Epoch: < 0 } => "The field 'epoch' must be a non-negative integer.",
        _ => null,
    };

    /// <summary>Null when the position is well formed, else one sentence saying what is wrong.</summary>
    public static string? Validate(LogPosition? position) => position switch
    {
        null => "Each position must be {\"index\", \"epoch\"}.",
        { Index: < 1 } => "A position's 'index' must be a positive integer.",
        { Epoch: < 0 } => "A position's 'epoch' must be a non-negative integer.",
        _ => null,
    };

    /// <summary>
    /// Stores <paramref name="entry"/> (its epoch already resolved) unless the log has seen a newer epoch; storing the
    /// same entry twice changes nothing. The result says which, as decided under the log's lock.
    /// </summary>
    public static StoreResult Store(OrderLog log, OrderEntry entry) => log.StoreMany([entry]);
}
