using System.Text.Json.Serialization;
using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>Source-generated JSON for what chaos reads from the services and writes as its summary, snake_case like the contract.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DataEnvelope<StockQuote>))]
[JsonSerializable(typeof(DataEnvelope<StockQuote[]>))]
[JsonSerializable(typeof(DataEnvelope<AppliedTrade[]>))]
[JsonSerializable(typeof(DataEnvelope<OrderEntry[]>))]
[JsonSerializable(typeof(DataEnvelope<OrderPlaced>))]
[JsonSerializable(typeof(PingReply))]
[JsonSerializable(typeof(ChaosSummary))]
internal sealed partial class ChaosJsonContext : JsonSerializerContext;
