using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>
/// Source-generated JSON for every wire record: snake_case keys as the seed system spoke them,
/// nulls left out except where the contract shows them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(DataEnvelope<StockQuote>))]
[JsonSerializable(typeof(DataEnvelope<StockQuote[]>))]
[JsonSerializable(typeof(DataEnvelope<AppliedTrade[]>))]
[JsonSerializable(typeof(DataEnvelope<CacheStats>))]
[JsonSerializable(typeof(DataEnvelope<OrderPlaced>))]
[JsonSerializable(typeof(DataEnvelope<OrderRecord>))]
[JsonSerializable(typeof(DataEnvelope<OrderEntry[]>))]
[JsonSerializable(typeof(DataEnvelope<InvalidationAccepted>))]
[JsonSerializable(typeof(CatalogTrade))]
[JsonSerializable(typeof(TradeBatch))]
[JsonSerializable(typeof(DataEnvelope<TradeResult[]>))]
[JsonSerializable(typeof(TradeRequest))]
[JsonSerializable(typeof(OrderEntry))]
[JsonSerializable(typeof(CacheInvalidated))]
[JsonSerializable(typeof(LeaderAnnouncement))]
[JsonSerializable(typeof(PingReply))]
[JsonSerializable(typeof(MaxTransactionReply))]
[JsonSerializable(typeof(ReplicationBatch))]
[JsonSerializable(typeof(LogPositionReply))]
[JsonSerializable(typeof(LogRecord))]
[JsonSerializable(typeof(LogRecord[]))]
[JsonSerializable(typeof(DataEnvelope<LogRecord[]>))]
[JsonSerializable(typeof(DataEnvelope<long[]>))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(CacheContents))]
public sealed partial class StockNetJsonContext : JsonSerializerContext;
