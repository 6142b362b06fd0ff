namespace StockNet.LoadClient;

/// <summary>Everything <c>stocknet load</c> was asked to do, validated.</summary>
public sealed record LoadOptions
{
    /// <summary>A running front-end to test; null starts an embedded cluster per cache setting.</summary>
    public Uri? Url { get; init; }

    /// <summary>With <see cref="Url"/> only a label, since the cache is whatever that front-end has; null there means "not said".</summary>
    public CacheMode? Cache { get; init; } = CacheMode.Both;

    public int Clients { get; init; } = 5;

    public int Iterations { get; init; } = 600;

    public IReadOnlyList<double> Probabilities { get; init; } = ProbabilityList.Default;

    public int MaxQuantity { get; init; } = 5;

    /// <summary>Each session waits a random time from zero to this between iterations.</summary>
    public TimeSpan MaxThinkTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The base of every session's random seed; the same seed gives the same requests.</summary>
    public int Seed { get; init; }

    /// <summary>The longest one run (one cache setting, one p) may take before its sessions stop early.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Stocks { get; init; } = DefaultStocks;

    /// <summary>The embedded cluster's front-end cache capacity.</summary>
    public int CacheSize { get; init; } = 5;

    public string OutputDirectory { get; init; } = "load-results";

    public bool ShowProgress { get; init; } = true;

    /// <summary>Unmeasured lookups and sell/buy pairs before the first run of each target.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>
    /// The warm-up also lasts at least this long: tiered compilation promotes a method only after its call count and
    /// a quiet spell, so a fresh cluster's first trades cost several times the CPU of warm ones for seconds however
    /// few rounds it has run (the bench's scenario warm-up found the same).
    /// </summary>
    public TimeSpan WarmUpMinimum { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Past the minimum, the warm-up goes on until the cluster's throughput stops rising (<see cref="Workload.WarmUpSettling"/>),
    /// but never longer than this: on a machine too busy to ever look steady, the runs start anyway.
    /// </summary>
    public TimeSpan WarmUpMaximum { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The ten stocks of a new catalog (docs/api.md).</summary>
    public static readonly IReadOnlyList<string> DefaultStocks =
        ["APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM"];
}
