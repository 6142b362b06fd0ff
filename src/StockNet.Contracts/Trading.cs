using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>The two kinds of trade. On the wire they are the lowercase strings "buy" and "sell".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TradeType>))]
public enum TradeType
{
    [JsonStringEnumMemberName("buy")]
    Buy,

    [JsonStringEnumMemberName("sell")]
    Sell,
}

/// <summary>A stock as the catalog knows it. <see cref="Version"/> increases with every trade of that stock.</summary>
public sealed record StockQuote(string Name, decimal Price, long Quantity, long Version);

/// <summary>A validated trade as a client places it through the front-end or the leader.</summary>
public sealed record TradeRequest(string Name, TradeType Type, int Quantity);

/// <summary>A trade the order leader asks the catalog to apply (<c>POST /stocks/{name}</c>).</summary>
public sealed record CatalogTrade(TradeType Type, int Quantity);

/// <summary>The reply to a placed order.</summary>
public sealed record OrderPlaced(long TransactionNumber);

/// <summary>An order as the public query returns it (<c>GET /orders/{n}</c>).</summary>
public sealed record OrderRecord(long Number, string Name, TradeType Type, int Quantity);

/// <summary>
/// An order as replicas exchange it (<c>/replicate_order</c>, <c>/get_missing_orders</c>).
/// <see cref="IdempotencyKey"/> and <see cref="Epoch"/> are our extensions; seed peers may omit them.
/// </summary>
public sealed record OrderEntry(
    long TransactionNumber,
    string Name,
    TradeType Type,
    int Quantity,
    string? IdempotencyKey = null,
    long? Epoch = null);

/// <summary>Pushed by the catalog to the front-end after a committed trade.</summary>
public sealed record CacheInvalidated(string Name, long Version);

/// <summary>The front-end's reply to an invalidation.</summary>
public sealed record InvalidationAccepted(string Invalidated);
