using StockNet.Contracts;

namespace StockNet.LoadClient.Workload;

/// <summary>An order a session placed and was given a transaction number for; verified at the end of the session.</summary>
public sealed record PlacedOrder(long TransactionNumber, string Name, TradeType Type, int Quantity);
