namespace StockNet.LoadClient.Bench;

/// <summary>What <c>stocknet bench</c> can measure.</summary>
public enum BenchScenario
{
    CachedLookup,
    UncachedLookup,
    Trade,
    OrderQuery,
    Failover,
    Recovery,
}

public static class BenchScenarios
{
    public static readonly IReadOnlyList<BenchScenario> All =
    [
        BenchScenario.CachedLookup, BenchScenario.UncachedLookup, BenchScenario.Trade, BenchScenario.OrderQuery,
        BenchScenario.Failover, BenchScenario.Recovery,
    ];

    public static string Label(BenchScenario scenario) => scenario switch
    {
        BenchScenario.CachedLookup => "cached-lookup",
        BenchScenario.UncachedLookup => "uncached-lookup",
        BenchScenario.Trade => "trade",
        BenchScenario.OrderQuery => "order-query",
        BenchScenario.Failover => "failover",
        BenchScenario.Recovery => "recovery",
        _ => scenario.ToString(),
    };

    public static bool TryParse(string text, out BenchScenario scenario)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Label(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                scenario = candidate;
                return true;
            }
        }

        scenario = default;
        return false;
    }

    /// <summary>Scenarios that need to stop and start nodes, or a cluster with the cache off: only with a cluster started here.</summary>
    public static bool NeedsOwnCluster(BenchScenario scenario) =>
        scenario is BenchScenario.UncachedLookup or BenchScenario.Failover or BenchScenario.Recovery;
}
