using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>One replica's order log, as <c>GET /get_missing_orders/{baseline}</c> returned it.</summary>
public sealed record ReplicaLog(string Replica, IReadOnlyList<OrderEntry> Orders);

/// <summary>
/// Everything the invariants are judged on, taken once the cluster is quiet. Only what happened after the
/// baseline counts: journal trades and log orders after it, quantities relative to the catalog before the load.
/// </summary>
public sealed record ChaosSnapshot(
    IReadOnlyDictionary<string, long> InitialQuantities,
    IReadOnlyDictionary<string, long> FinalQuantities,
    IReadOnlyList<AppliedTrade> Journal,
    IReadOnlyList<ReplicaLog> Logs,
    IReadOnlyList<AcknowledgedOrder> Acknowledged)
{
    /// <summary>Keys whose client never got a definite answer; they only label violations, since such an order may or may not exist.</summary>
    public IReadOnlySet<string> UnknownKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
