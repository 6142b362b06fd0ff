using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>The two kinds of trade. On the wire they are the lowercase strings "buy" and "sell", never numbers.</summary>
[JsonConverter(typeof(TradeTypeConverter))]
public enum TradeType
{
    [JsonStringEnumMemberName("buy")]
    Buy,

    [JsonStringEnumMemberName("sell")]
    Sell,
}

/// <summary>A stock as the catalog knows it. <see cref="Version"/> increases with every trade of that stock.</summary>
public sealed record StockQuote(string Name, decimal Price, long Quantity, long Version);

/// <summary>
/// <c>POST /orders</c>: a trade as a client places it through the front-end, and the front-end through the leader.
/// Read strictly by System.Text.Json and checked by the endpoint's validation before any handler runs: unknown
/// fields are refused, <c>type</c> and <c>quantity</c> are required, the name must be a valid stock name, and the
/// quantity a whole number from 1 to <see cref="MaxQuantity"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TradeRequest(
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "The field 'name' (or 'stock_name') is required.")]
    [property: StockName]
    string Name,
    [property: JsonRequired] TradeType Type,
    [property: JsonRequired]
    [property: Range(1, TradeRequest.MaxQuantity, ErrorMessage = TradeRequest.QuantityRangeMessage)]
    [property: JsonConverter(typeof(WholeNumberConverter))]
    int Quantity) : IValidatableObject
{
    /// <summary>The largest quantity one order may trade.</summary>
    public const int MaxQuantity = 1_000_000;

    internal const string QuantityRangeMessage = "The field 'quantity' is out of range: it must be from {1} to {2}.";

    // The seed's client sends stock_name; System.Text.Json has no aliases, so the alias is an init-only property that
    // folds into Name while the body is read. Both present and different is refused by Validate, not guessed.
    private readonly string? _conflictingAlias;

    /// <summary>The seed client's spelling of <see cref="Name"/>: read, folded into it, never written.</summary>
    public string? StockName
    {
        get => null;
        init
        {
            if (value is null)
            {
                return;
            }

            if (Name is null)
            {
                Name = value;
            }
            else if (Name != value)
            {
                _conflictingAlias = value;
            }
        }
    }

    /// <summary>The rule no attribute can state: <c>name</c> and <c>stock_name</c> must not disagree.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (_conflictingAlias is not null)
        {
            yield return new ValidationResult(
                $"The fields 'name' ('{StockNames.Shorten(Name)}') and 'stock_name' ('{StockNames.Shorten(_conflictingAlias)}') differ: send one of them.",
                [nameof(Name)]);
        }
    }
}

/// <summary>A trade the order leader asks the catalog to apply (<c>POST /stocks/{name}</c>); read and checked as <see cref="TradeRequest"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CatalogTrade(
    [property: JsonRequired] TradeType Type,
    [property: JsonRequired]
    [property: Range(1, TradeRequest.MaxQuantity, ErrorMessage = TradeRequest.QuantityRangeMessage)]
    [property: JsonConverter(typeof(WholeNumberConverter))]
    int Quantity);

/// <summary>The reply to a placed order.</summary>
public sealed record OrderPlaced(long TransactionNumber);

/// <summary>An order as the public query returns it (<c>GET /orders/{n}</c>).</summary>
public sealed record OrderRecord(long Number, string Name, TradeType Type, int Quantity);

/// <summary>
/// What a transaction number stands for in a replica's log. On the wire: "executed", "pending", "not-executed".
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderState>))]
public enum OrderState
{
    /// <summary>The catalog applied the trade: an order (the only state the seed knew).</summary>
    [JsonStringEnumMemberName("executed")]
    Executed,

    /// <summary>Numbered and logged before the catalog confirmed; becomes executed or not-executed.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The number was reserved for a trade the catalog definitely refused: it never became an order.</summary>
    [JsonStringEnumMemberName("not-executed")]
    NotExecuted,

    /// <summary>
    /// A tombstone: a recovery merge removed this number's entry (its key won at another number), and replicas that
    /// held it must remove it too. It is no order (404 <c>unknown-order</c>) and carries no key.
    /// </summary>
    [JsonStringEnumMemberName("removed")]
    Removed,
}

/// <summary>
/// An order as replicas exchange it (<c>/replicate_order</c>, <c>/get_missing_orders</c>).
/// <see cref="IdempotencyKey"/>, <see cref="Epoch"/> and <see cref="State"/> are our extensions; seed peers
/// may omit them. No state means executed, which is how an executed entry is written, so a seed peer reads
/// every order unchanged.
/// </summary>
public sealed record OrderEntry(
    long TransactionNumber,
    string Name,
    TradeType Type,
    int Quantity,
    string? IdempotencyKey = null,
    long? Epoch = null,
    OrderState? State = null)
{
    /// <summary>True for an order the catalog executed (the state is absent or "executed").</summary>
    [JsonIgnore]
    public bool IsExecuted => State is null or OrderState.Executed;
}

/// <summary>Pushed by the catalog to the front-end after a committed trade.</summary>
public sealed record CacheInvalidated(string Name, long Version);

/// <summary>The front-end's reply to an invalidation.</summary>
public sealed record InvalidationAccepted(string Invalidated);
