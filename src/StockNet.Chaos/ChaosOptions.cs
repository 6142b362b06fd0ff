namespace StockNet.Chaos;

/// <summary>Everything one chaos run needs, bound from the command's flags.</summary>
public sealed class ChaosOptions
{
    /// <summary>How long the clients trade while faults are injected.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public int Clients { get; init; } = 4;

    /// <summary>Makes the fault schedule and the clients' choices reproducible.</summary>
    public int Seed { get; init; }

    /// <summary>Mean gap between two fault events; each gap is uniform in [0.5, 1.5] times this.</summary>
    public TimeSpan FaultInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest downtime after a kill, and longest freeze of a SIGSTOP.</summary>
    public TimeSpan MaxFaultHold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Chance that one fault event hits two processes at once.</summary>
    public double DoubleFaultProbability { get; init; } = 0.2;

    /// <summary>Chance that an iteration places a trade after its lookup.</summary>
    public double TradeProbability { get; init; } = 0.5;

    /// <summary>Attempts of one POST with the same Idempotency-Key before its outcome stays unknown.</summary>
    public int TradeAttempts { get; init; } = 3;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxThinkTime { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How long the cluster may take to become ready and quiet after the load.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The front-end's cache TTL: the longest a lookup may lag the catalog after the cluster is quiet.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Run every service on a host of its own (a network namespace), which partition and slow faults need.</summary>
    public bool Hosts { get; init; }

    /// <summary>How many front-ends the started cluster has; the clients spread over them.</summary>
    public int FrontEnds { get; init; } = 1;

    /// <summary>The kinds of fault injected.</summary>
    public IReadOnlyList<FaultKind> Faults { get; init; } = [FaultKind.Kill, FaultKind.Pause];

    /// <summary>An existing cluster to check instead of starting one; faults are injected only into a cluster this command started.</summary>
    public ChaosTargets? Targets { get; init; }

    /// <summary>Where to start a cluster; null: a fresh temporary directory, deleted afterwards.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Append every line the started services write to this file, prefixed with the time and the service's name.</summary>
    public string? ServiceLogPath { get; init; }

    /// <summary>Where timeline.png goes: beside the JSON summary when there is one, else the working directory.</summary>
    public string TimelinePath => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(JsonPath ?? "chaos.json")) ?? ".", TimelinePlot.FileName);

    /// <summary>Write the summary as JSON to this file.</summary>
    public string? JsonPath { get; init; }
}

/// <summary>The URLs of a running cluster that <c>stocknet chaos</c> loads and checks without injecting faults.</summary>
public sealed record ChaosTargets(Uri FrontEnd, Uri Catalog, IReadOnlyList<Uri> Replicas);
