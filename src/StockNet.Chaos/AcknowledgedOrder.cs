using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>An order a client was told about: 200 with a transaction number, for this key; <see cref="At"/> is when, since the load started.</summary>
public sealed record AcknowledgedOrder(string Key, long Number, string Name, TradeType Type, int Quantity, TimeSpan At = default);
