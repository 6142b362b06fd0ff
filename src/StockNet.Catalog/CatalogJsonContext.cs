using System.Text.Json.Serialization;
using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>Source-generated JSON for the catalog's own replies, with the same snake_case rules as the shared contract.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DataEnvelope<AppliedTrade[]>))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
