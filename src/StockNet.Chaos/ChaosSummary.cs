namespace StockNet.Chaos;

/// <summary>The outcome of one chaos run: what was done to the cluster, what the clients saw, and every violation.</summary>
public sealed record ChaosSummary
{
    public required int Seed { get; init; }

    public required double DurationSeconds { get; init; }

    public required int Clients { get; init; }

    /// <summary>False when the run targeted a cluster by URL: then no fault was injected.</summary>
    public required bool FaultsInjected { get; init; }

    public required IReadOnlyList<InjectedFault> Faults { get; init; }

    /// <summary>Planned targets dropped because every service was already under a fault.</summary>
    public required int SkippedFaults { get; init; }

    public required long Acknowledged { get; init; }

    public required long UnknownOutcomes { get; init; }

    /// <summary>How many of the unknown outcomes were in fact executed (their key is in the log).</summary>
    public required long UnknownExecuted { get; init; }

    public required int Lost { get; init; }

    public required int Duplicated { get; init; }

    public required long LookupsOk { get; init; }

    public required long LookupsFailed { get; init; }

    public required long TradesRejected { get; init; }

    public required long Retries { get; init; }

    /// <summary>The longest time one client went from a failed request to its next success.</summary>
    public required double LongestUnavailabilitySeconds { get; init; }

    /// <summary>When that longest outage began, since the load started.</summary>
    public double LongestUnavailabilityStartSeconds { get; init; }

    /// <summary>That longest outage: whose, at which front-end, and what failed during it.</summary>
    public ClientOutage? LongestUnavailability { get; init; }

    /// <summary>The faults under way during the longest outage: its likely causes.</summary>
    public IReadOnlyList<InjectedFault> FaultsDuringLongestUnavailability { get; init; } = [];

    public required bool Settled { get; init; }

    public required double SettleSeconds { get; init; }

    /// <summary>Stocks whose lookup differed from the catalog right after settling (staleness within the TTL is allowed).</summary>
    public required int StaleAtFirstLook { get; init; }

    public required IReadOnlyList<string> StaleDetails { get; init; }

    public required IReadOnlyList<Violation> Violations { get; init; }

    /// <summary>When the earliest lost order was acknowledged, since the load started; null when none was lost.</summary>
    public double? FirstLossAtSeconds { get; init; }

    /// <summary>The faults that began shortly before (or just after) the first lost order was acknowledged: the likely culprits.</summary>
    public IReadOnlyList<InjectedFault> FaultsAroundFirstLoss { get; init; } = [];

    /// <summary>True when every service ran on a host of its own (--hosts).</summary>
    public bool Hosts { get; init; }

    public int FrontEnds { get; init; } = 1;

    /// <summary>Requests per second, for timeline.png; not part of the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Timeline Timeline { get; init; } = new();

    /// <summary>When each election was seen (the highest epoch rose), since the load started.</summary>
    public IReadOnlyList<double> ElectionsAtSeconds { get; init; } = [];

    /// <summary>When the last fault was undone (healed, resumed, restarted), since the load started.</summary>
    public double? LastHealSeconds => Faults.Count == 0 ? null : Faults.Max(fault => (fault.At + fault.Hold).TotalSeconds);

    /// <summary>The most elections seen in any 10 s window.</summary>
    public int MostElectionsIn10Seconds =>
        ElectionsAtSeconds.Count == 0 ? 0 : ElectionsAtSeconds.Max(start => ElectionsAtSeconds.Count(at => at >= start && at < start + 10));

    public bool Passed => Violations.Count == 0 && Lost == 0 && Duplicated == 0;

    public int FaultsOf(FaultKind kind) => Faults.Count(fault => fault.Kind == kind);

    public int FaultsOn(string service) => Faults.Count(fault => fault.Service == service);
}
