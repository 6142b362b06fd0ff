namespace StockNet.LoadClient.Workload;

/// <summary>What one client session does: the design's loop of lookups and, with probability <see cref="TradeProbability"/>, trades.</summary>
public sealed record SessionSettings(
    IReadOnlyList<string> Stocks,
    int Iterations,
    double TradeProbability,
    int MaxQuantity,
    TimeSpan MaxThinkTime,
    int VerifyAttempts = 3);
