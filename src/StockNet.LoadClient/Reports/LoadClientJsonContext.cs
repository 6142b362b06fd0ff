using System.Text.Json.Serialization;

namespace StockNet.LoadClient.Reports;

/// <summary>Source-generated JSON for the reports this client writes, in the contract's snake_case.</summary>
// Named floating-point literals: a failover that never recovered is reported as NaN rather than failing the report.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(Bench.BenchReport))]
public sealed partial class LoadClientJsonContext : JsonSerializerContext;
