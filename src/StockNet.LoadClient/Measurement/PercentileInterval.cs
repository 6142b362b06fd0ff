namespace StockNet.LoadClient.Measurement;

/// <summary>
/// How far a percentile of n samples can move by chance. The number of samples below the true q-quantile is
/// binomial (n, q), so the sample quantile lies between the ranks n·q ∓ 1.96·√(n·q·(1−q)) with 95% confidence, without
/// any assumption about the distribution. For a p99 of 3,000 lookups that is the 20th to the 42nd slowest request;
/// of 600 trades, the 2nd to the 12th: where the tail is steep, a p99 moves by tens of percent from one seed to the
/// next though nothing changed.
/// </summary>
public static class PercentileInterval
{
    private const double Z95 = 1.96;

    /// <summary>The percentiles (0-100) whose values bound the 95% interval of percentile <paramref name="percentile"/> over <paramref name="count"/> samples.</summary>
    public static (double Low, double High) Of(double percentile, long count)
    {
        if (count <= 0)
        {
            return (percentile, percentile);
        }

        var q = percentile / 100.0;
        var halfWidth = Z95 * Math.Sqrt(count * q * (1 - q));
        var low = Math.Max(1, Math.Floor((count * q) - halfWidth));
        var high = Math.Min(count, Math.Ceiling((count * q) + halfWidth));
        return (100.0 * low / count, 100.0 * high / count);
    }
}
