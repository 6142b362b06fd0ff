using System.Collections.Concurrent;

namespace StockNet.Chaos;

public enum TimelineKind
{
    Lookup,
    Trade,
}

/// <summary>One second of the run: requests that succeeded and failed by kind, and every latency (for the p99).</summary>
public sealed class TimelineSecond
{
    private readonly Lock _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly long[] _counts = new long[4];

    public long Count(TimelineKind kind, bool succeeded) => Interlocked.Read(ref _counts[Slot(kind, succeeded)]);

    /// <summary>The 99th percentile latency of every request that began in this second, in milliseconds; 0 if none.</summary>
    public double P99Ms()
    {
        lock (_gate)
        {
            if (_latenciesMs.Count == 0)
            {
                return 0;
            }

            var sorted = _latenciesMs.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
        }
    }

    internal void Add(TimelineKind kind, bool succeeded, TimeSpan latency)
    {
        Interlocked.Increment(ref _counts[Slot(kind, succeeded)]);
        lock (_gate)
        {
            _latenciesMs.Add(latency.TotalMilliseconds);
        }
    }

    private static int Slot(TimelineKind kind, bool succeeded) => ((int)kind * 2) + (succeeded ? 0 : 1);
}

/// <summary>Requests per second of the run, by the second in which each began.</summary>
public sealed class Timeline
{
    private readonly ConcurrentDictionary<int, TimelineSecond> _seconds = new();

    public IReadOnlyList<(int Second, TimelineSecond Counts)> Seconds =>
        [.. _seconds.OrderBy(pair => pair.Key).Select(pair => (pair.Key, pair.Value))];

    public void Record(TimelineKind kind, bool succeeded, TimeSpan startedAt, TimeSpan latency) =>
        _seconds.GetOrAdd((int)startedAt.TotalSeconds, _ => new TimelineSecond()).Add(kind, succeeded, latency);
}
