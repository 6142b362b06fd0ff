using System.Text.Json.Serialization;
using StockNet.Contracts;

namespace StockNet.Security.Tests.Fuzzing;

/// <summary>The internal reads the fuzzer's state checks make that the shared context does not cover.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DataEnvelope<StockQuote[]>))]
[JsonSerializable(typeof(DataEnvelope<AppliedTrade[]>))]
public sealed partial class FuzzJsonContext : JsonSerializerContext;
