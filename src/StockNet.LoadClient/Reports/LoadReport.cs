using System.Text.Json.Serialization;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Reports;

/// <summary>Verification counts of one run.</summary>
public sealed record VerificationSummary(int Checked, int Matched, int Mismatched, int Missing, int Unverified, IReadOnlyList<string> FirstFailures)
{
    public int Failures => Mismatched + Missing + Unverified;
}

/// <summary>One run: one cache setting and one trade probability, every session's figures merged.</summary>
public sealed record RunResult(
    string Cache,
    double P,
    int Clients,
    int IterationsDone,
    double ElapsedSeconds,
    int CacheHits,
    int OrdersPlaced,
    int RefusedBuys,
    VerificationSummary Verification,
    IReadOnlyDictionary<string, LatencySummary> Latency)
{
    /// <summary>Seconds of unmeasured warm-up right before this run: only the first run of each cluster has one.</summary>
    public double WarmUpSeconds { get; init; }

    /// <summary>The raw samples behind <see cref="Latency"/>; written to samples.csv, not to results.json.</summary>
    [JsonIgnore]
    public IReadOnlyList<Sample> Samples { get; init; } = [];

    /// <summary>What the front-end's cache did during the run (cache on only); drawn as cache.png, not written to results.json.</summary>
    [JsonIgnore]
    public CacheTimeline CacheTimeline { get; init; } = CacheTimeline.None;

    public long RequestErrors => Latency.Values.Sum(summary => summary.Errors);

    public LatencySummary For(RequestKind kind) => Latency.TryGetValue(RequestKinds.Label(kind), out var summary) ? summary : LatencySummary.Empty;
}

/// <summary>What results.json holds: how the sweep was run and every run's figures.</summary>
public sealed record LoadReport(
    DateTimeOffset StartedAt,
    string Target,
    int Seed,
    int Clients,
    int Iterations,
    int MaxQuantity,
    double MaxThinkMs,
    IReadOnlyList<string> Stocks,
    IReadOnlyList<RunResult> Runs)
{
    public int VerificationFailures => Runs.Sum(run => run.Verification.Failures);

    public long RequestErrors => Runs.Sum(run => run.RequestErrors);
}
