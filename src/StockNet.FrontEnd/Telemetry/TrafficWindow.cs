using System.Diagnostics;

namespace StockNet.FrontEnd.Telemetry;

/// <summary>
/// One kind of request over the last <see cref="WindowSeconds"/> seconds: a ring of one-second slots, each a count
/// and a log-scale latency histogram (buckets 20% apart from 10 µs, so a percentile is within 20%). Recording
/// takes a slot's lock for a few increments and allocates nothing.
/// </summary>
public sealed class TrafficWindow
{
    public const int WindowSeconds = 10;

    private const int Buckets = 96;
    private const double FirstBucketMicroseconds = 10;
    private const double Growth = 1.2;

    private static readonly double LogGrowth = Math.Log(Growth);

    // One slot more than the window: the second being filled is never summarized.
    private readonly Slot[] _slots = [.. Enumerable.Range(0, WindowSeconds + 1).Select(_ => new Slot())];

    /// <summary>Records one request that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) and ends now.</summary>
    public void Record(long startTimestamp) => Record(startTimestamp, Stopwatch.GetTimestamp());

    internal void Record(long startTimestamp, long now)
    {
        var bucket = Bucket(Stopwatch.GetElapsedTime(startTimestamp, now).TotalMicroseconds);
        var second = now / Stopwatch.Frequency;
        var slot = _slots[second % _slots.Length];
        lock (slot)
        {
            if (slot.Second != second)
            {
                slot.Reset(second);
            }

            slot.Count++;
            slot.Histogram[bucket]++;
        }
    }

    /// <summary>Requests per second and the p50 and p99 latency in milliseconds over the last full seconds.</summary>
    public (double PerSecond, double P50Ms, double P99Ms) Summarize() => Summarize(Stopwatch.GetTimestamp());

    internal (double PerSecond, double P50Ms, double P99Ms) Summarize(long now)
    {
        var current = now / Stopwatch.Frequency;
        var histogram = new long[Buckets];
        long count = 0;
        foreach (var slot in _slots)
        {
            lock (slot)
            {
                if (slot.Second >= current - WindowSeconds && slot.Second < current)
                {
                    count += slot.Count;
                    for (var i = 0; i < Buckets; i++)
                    {
                        histogram[i] += slot.Histogram[i];
                    }
                }
            }
        }

        return (count / (double)WindowSeconds, Percentile(histogram, count, 0.50), Percentile(histogram, count, 0.99));
    }

    private static int Bucket(double microseconds) =>
        microseconds <= FirstBucketMicroseconds ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log(microseconds / FirstBucketMicroseconds) / LogGrowth));

    // The bucket's upper bound: the percentile is at most this.
    private static double Percentile(long[] histogram, long count, double quantile)
    {
        if (count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(count * quantile);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
            {
                return Math.Round(FirstBucketMicroseconds * Math.Pow(Growth, i) / 1000, 3);
            }
        }

        return Math.Round(FirstBucketMicroseconds * Math.Pow(Growth, Buckets - 1) / 1000, 3);
    }

    private sealed class Slot
    {
        public long Second { get; private set; } = -1;

        public long Count { get; set; }

        public long[] Histogram { get; } = new long[Buckets];

        public void Reset(long second)
        {
            Second = second;
            Count = 0;
            Array.Clear(Histogram);
        }
    }
}

/// <summary>The front-end's two request kinds, as the status and the dashboard report them.</summary>
public sealed class FrontEndTraffic
{
    public TrafficWindow Lookups { get; } = new();

    public TrafficWindow Trades { get; } = new();
}
