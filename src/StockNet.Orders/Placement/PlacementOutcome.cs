using StockNet.Contracts;

namespace StockNet.Orders.Placement;

/// <summary>How placing an order ended, in the domain's terms; the endpoint alone turns it into HTTP.</summary>
public enum PlacementKind
{
    /// <summary>Logged (and, in Sync mode, replicated) under <see cref="PlacementOutcome.TransactionNumber"/>.</summary>
    Placed,

    /// <summary>This replica follows; the order belongs on the leader.</summary>
    NotLeader,

    /// <summary>This replica was named leader and still merges its peers' logs.</summary>
    Recovering,

    /// <summary>A newer leader replaced this one while the order was under way; a retry on it is safe.</summary>
    Replaced,

    /// <summary>
    /// The order did not reach a majority of the replicas, so this leader stepped down without acknowledging it. The
    /// catalog may have traded it: a retry with the key on the new leader answers its number without trading again.
    /// </summary>
    NoQuorum,

    /// <summary>The catalog refused the trade (for example, not enough stock); its message and type are kept.</summary>
    Refused,

    /// <summary>The catalog knows no such stock.</summary>
    UnknownStock,

    /// <summary>The catalog did not answer in time; the trade may or may not have happened, a retry with the key tells.</summary>
    CatalogUnavailable,

    /// <summary>The idempotency key already belongs to an order with another stock, type or quantity.</summary>
    KeyReused,
}

public sealed record PlacementOutcome(PlacementKind Kind, long TransactionNumber = -1, string? Message = null, string? Type = null)
{
    public static PlacementOutcome NotLeader { get; } = new(PlacementKind.NotLeader);

    public static PlacementOutcome Recovering { get; } = new(PlacementKind.Recovering);

    public static PlacementOutcome Replaced { get; } = new(PlacementKind.Replaced);

    public static PlacementOutcome NoQuorum { get; } = new(PlacementKind.NoQuorum);

    public static PlacementOutcome CatalogUnavailable { get; } = new(PlacementKind.CatalogUnavailable);

    public static PlacementOutcome Placed(long number) => new(PlacementKind.Placed, number);

    /// <summary>Placed when <paramref name="entry"/> holds the same trade as <paramref name="trade"/>, else the key was reused.</summary>
    public static PlacementOutcome ForKnown(OrderEntry entry, TradeRequest trade) =>
        SameTrade(entry, trade) ? Placed(entry.TransactionNumber) : KeyReusedFor(entry.TransactionNumber);

    public static PlacementOutcome KeyReusedFor(long number) => new(PlacementKind.KeyReused, number);

    /// <summary>The canonical fields of an order: a key names one stock, type and quantity.</summary>
    public static bool SameTrade(OrderEntry entry, TradeRequest trade) =>
        entry.Name == trade.Name && entry.Type == trade.Type && entry.Quantity == trade.Quantity;
}
