using System.Text.Json.Serialization;

namespace StockNet.LoadClient.Reports;

/// <summary>Source-generated JSON for the reports this client writes, in the contract's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadClientJsonContext : JsonSerializerContext;
