using StockNet.Chaos;
using StockNet.Contracts;

namespace StockNet.Chaos.Tests;

/// <summary>Hand-made snapshots: by default a consistent history of three orders on three replicas.</summary>
internal sealed class SnapshotBuilder
{
    private static readonly string[] Replicas = ["order-1", "order-2", "order-3"];

    public Dictionary<string, long> Initial { get; } = new(StringComparer.Ordinal) { ["GOOG"] = 100, ["MSFT"] = 100 };

    public Dictionary<string, long> Final { get; } = new(StringComparer.Ordinal) { ["GOOG"] = 97, ["MSFT"] = 102 };

    public List<OrderEntry> Orders { get; } =
    [
        new(1, "GOOG", TradeType.Buy, 5, "k1", 1),
        new(2, "MSFT", TradeType.Sell, 2, "k2", 1),
        new(3, "GOOG", TradeType.Sell, 2, "k3", 1),
    ];

    public List<AcknowledgedOrder> Acknowledged { get; } =
    [
        new("k1", 1, "GOOG", TradeType.Buy, 5),
        new("k2", 2, "MSFT", TradeType.Sell, 2),
        new("k3", 3, "GOOG", TradeType.Sell, 2),
    ];

    public List<AppliedTrade> Journal { get; } =
    [
        new(1, "k1", "GOOG", TradeType.Buy, 5, 95, 1),
        new(2, "k2", "MSFT", TradeType.Sell, 2, 102, 1),
        new(3, "k3", "GOOG", TradeType.Sell, 2, 97, 2),
    ];

    /// <summary>Replaces one replica's log; the others keep <see cref="Orders"/>.</summary>
    public Dictionary<string, List<OrderEntry>> LogOverrides { get; } = new(StringComparer.Ordinal);

    public ChaosSnapshot Build() => new(
        Initial,
        Final,
        Journal,
        [.. Replicas.Select(name => new ReplicaLog(name, LogOverrides.GetValueOrDefault(name) ?? Orders))],
        Acknowledged);
}
