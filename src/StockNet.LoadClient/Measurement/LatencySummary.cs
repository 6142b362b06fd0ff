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
}
