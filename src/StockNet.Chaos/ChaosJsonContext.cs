using System.Text.Json.Serialization;

namespace StockNet.Chaos;

/// <summary>Source-generated JSON for the summary chaos writes, snake_case like the contract.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ChaosSummary))]
internal sealed partial class ChaosJsonContext : JsonSerializerContext;
