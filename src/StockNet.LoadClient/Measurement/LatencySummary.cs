namespace StockNet.LoadClient.Measurement;

/// <summary>Count, errors and latency percentiles (milliseconds) of one request type.</summary>
public sealed record LatencySummary(
    long Count,
    long Errors,
    double MeanMs,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// The p99's 95% interval: the sample p99 of another run as long as this one falls within it 19 times in 20 from
    /// sampling alone (<see cref="PercentileInterval"/>), so two runs whose intervals overlap do not show a change.
    /// </summary>
    public double P99LowMs { get; init; }

    /// <inheritdoc cref="P99LowMs"/>
    public double P99HighMs { get; init; }
}
