namespace StockNet.LoadClient.Bench;

/// <summary>One closed-loop measurement: one scenario at one concurrency.</summary>
public sealed record ThroughputResult(
    string Scenario,
    int Connections,
    long Requests,
    long Errors,
    double Seconds,
    double RequestsPerSecond,
    double MeanMs,
    double P50Ms,
    double P99Ms,
    double MaxMs);

/// <summary>Kill -9 of the leader under a steady trade load.</summary>
public sealed record FailoverResult(
    int KilledReplica,
    int NewLeader,
    double TimeToFirstSuccessMs,
    long TradesBefore,
    long TradesAfter,
    long ClientErrors);

/// <summary>A follower stopped, orders placed, the follower restarted.</summary>
public sealed record RecoveryResult(
    int Replica,
    int OrdersPlaced,
    double ReadyAfterMs,
    int OrdersHeld,
    bool HoldsAll);

/// <summary>What bench.json holds.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Target,
    string Machine,
    double DurationSeconds,
    double WarmupSeconds,
    IReadOnlyList<ThroughputResult> Throughput,
    FailoverResult? Failover,
    RecoveryResult? Recovery,
    IReadOnlyDictionary<string, double> PeakResidentMb,
    IReadOnlyList<string> Notes);
