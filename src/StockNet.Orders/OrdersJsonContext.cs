using System.Text.Json.Serialization;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>Source-generated JSON for what only this service reads: the catalog's journal pages.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DataEnvelope<AppliedTrade[]>))]
internal sealed partial class OrdersJsonContext : JsonSerializerContext;
