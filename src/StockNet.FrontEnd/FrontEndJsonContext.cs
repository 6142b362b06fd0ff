using System.Text.Json.Serialization;
using StockNet.Contracts;
using StockNet.FrontEnd.Clients;

namespace StockNet.FrontEnd;

/// <summary>Source-generated JSON for the front-end's own types, in the contract's snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DataEnvelope<CacheStats>))]
[JsonSerializable(typeof(ReplicaPing))]
internal sealed partial class FrontEndJsonContext : JsonSerializerContext;
