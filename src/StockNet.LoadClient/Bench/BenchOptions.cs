namespace StockNet.LoadClient.Bench;

/// <summary>Everything <c>stocknet bench</c> was asked to do, validated.</summary>
public sealed record BenchOptions
{
    /// <summary>A running front-end; null starts clusters here (needed for uncached lookups, failover and recovery).</summary>
    public Uri? Url { get; init; }

    public IReadOnlyList<int> Connections { get; init; } = [1, 8, 64];

    /// <summary>Measured time of each scenario at each concurrency.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Unmeasured time before each measurement: connection set-up, cache fill.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Unmeasured time each throughput scenario runs at the highest concurrency before its first measured level, so
    /// that the services it exercises run their final, optimized code when measured: a fresh cluster's first
    /// trades cost several times the CPU of later ones while the runtime's tiered compilation catches up.
    /// </summary>
    public TimeSpan ScenarioWarmup { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<BenchScenario> Scenarios { get; init; } = BenchScenarios.All;

    /// <summary>The embedded cluster's front-end cache capacity; the hot set of cached lookups stays within it.</summary>
    public int CacheSize { get; init; } = 5;

    /// <summary>Orders placed while a follower is down, in the recovery scenario.</summary>
    public int RecoveryOrders { get; init; } = 10_000;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where to write the Markdown table; null writes none.</summary>
    public string? MarkdownPath { get; init; }

    /// <summary>Also measure lookups and trades with wrk, to cross-check that this client is not the bottleneck.</summary>
    public bool Wrk { get; init; }

    /// <summary>Start the clusters without a cluster key (nothing signed or checked), to measure what the credential costs.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// History sizes: when given, each gets a fresh cluster filled with that many orders and the history rows
    /// (memory, trades, uniform order queries, restart, recovery, failover) instead of the usual scenarios.
    /// </summary>
    public IReadOnlyList<long> History { get; init; } = [];

    /// <summary>Fill the history by writing each replica's log before start instead of through the API (a busy machine's shortcut).</summary>
    public bool HistoryDirect { get; init; }

    /// <summary>Where to write bench.json; null writes none.</summary>
    public string? JsonPath { get; init; }
}
