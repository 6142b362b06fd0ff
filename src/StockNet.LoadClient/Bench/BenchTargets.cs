namespace StockNet.LoadClient.Bench;

/// <summary>The targets listed in docs/benchmarks.md, and whether a measurement meets the one that applies to it.</summary>
public static class BenchTargets
{
    public const string WrkPrefix = "wrk ";

    /// <summary>The target for a row: throughput targets apply at 64 connections (or the highest measured), p50 targets at 1.</summary>
    public static (string Target, bool? Met) For(ThroughputResult result, int highestConnections)
    {
        var atTop = result.Connections == 64 || (highestConnections < 64 && result.Connections == highestConnections);
        // A wrk cross-check row is held to the same target as the row it checks.
        var scenario = result.Scenario.StartsWith(WrkPrefix, StringComparison.Ordinal) ? result.Scenario[WrkPrefix.Length..] : result.Scenario;
        return (scenario, result.Connections, atTop) switch
        {
            ("cached-lookup", 1, _) => ("p50 <= 0.1 ms", result.P50Ms <= 0.1),
            ("trade", 1, _) => ("p50 <= 0.5 ms", result.P50Ms <= 0.5),
            ("cached-lookup", _, true) => (">= 50,000 req/s", result.RequestsPerSecond >= 50_000),
            ("uncached-lookup", _, true) => (">= 15,000 req/s", result.RequestsPerSecond >= 15_000),
            ("trade", _, true) => (">= 8,000 req/s", result.RequestsPerSecond >= 8_000),
            ("order-query", _, true) => (">= 20,000 req/s", result.RequestsPerSecond >= 20_000),
            _ => (string.Empty, null),
        };
    }

    public static (string Target, bool Met) For(FailoverResult failover) =>
        ("<= 300 ms, 0 client errors", failover.TimeToFirstSuccessMs <= 300 && failover.ClientErrors == 0);

    public static (string Target, bool Met) For(RecoveryResult recovery) =>
        ("ready <= 2 s with every order", recovery.HoldsAll && recovery.ReadyAfterMs <= 2_000);
}
