using System.Diagnostics;
using HdrHistogram;

namespace StockNet.LoadClient.Measurement;

/// <summary>
/// Latencies of one worker, one HdrHistogram per request type, recorded in nanoseconds. Each worker owns
/// its recorder, so recording takes no lock; <see cref="Merge"/> combines them once the workers are done.
/// </summary>
public sealed class LatencyRecorder
{
    /// <summary>The longest latency the histograms track; anything longer is clamped to it.</summary>
    public const long HighestTrackableNanoseconds = 60L * 1_000_000_000;

    private const int SignificantDigits = 3;
    private static readonly double NanosecondsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    private readonly LongHistogram[] _histograms;
    private readonly long[] _errors;
    private readonly List<Sample>? _samples;

    /// <param name="keepSamples">Keep every raw sample for the CSV (the load run); the benchmark only needs the histograms.</param>
    public LatencyRecorder(bool keepSamples = false)
    {
        _histograms = new LongHistogram[RequestKinds.All.Length];
        for (var i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = NewHistogram();
        }

        _errors = new long[RequestKinds.All.Length];
        _samples = keepSamples ? [] : null;
    }

    /// <summary>The raw samples in recording order; empty unless samples are kept.</summary>
    public IReadOnlyList<Sample> Samples => _samples ?? (IReadOnlyList<Sample>)[];

    /// <summary>Records a request measured from Stopwatch timestamps.</summary>
    public void Record(RequestKind kind, long startTimestamp, long endTimestamp, int status, bool isError) =>
        RecordNanoseconds(kind, (long)((endTimestamp - startTimestamp) * NanosecondsPerTick), status, isError, startTimestamp);

    /// <summary>Records a request whose latency is already known, in nanoseconds.</summary>
    public void RecordNanoseconds(RequestKind kind, long nanoseconds, int status, bool isError, long startTimestamp = 0)
    {
        var clamped = Math.Clamp(nanoseconds, 1, HighestTrackableNanoseconds);
        _histograms[(int)kind].RecordValue(clamped);
        if (isError)
        {
            _errors[(int)kind]++;
        }

        _samples?.Add(new Sample(kind, clamped / 1000.0, status, startTimestamp));
    }

    public long Count(RequestKind kind) => _histograms[(int)kind].TotalCount;

    /// <summary>Combines the recordings of every worker into one recorder; samples are concatenated in worker order.</summary>
    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> recorders)
    {
        var merged = new LatencyRecorder(keepSamples: true);
        foreach (var recorder in recorders)
        {
            for (var i = 0; i < merged._histograms.Length; i++)
            {
                merged._histograms[i].Add(recorder._histograms[i]);
                merged._errors[i] += recorder._errors[i];
            }

            if (recorder._samples is not null)
            {
                merged._samples!.AddRange(recorder._samples);
            }
        }

        return merged;
    }

    public LatencySummary Summarize(RequestKind kind)
    {
        var histogram = _histograms[(int)kind];
        if (histogram.TotalCount == 0)
        {
            return LatencySummary.Empty with { Errors = _errors[(int)kind] };
        }

        var (low, high) = PercentileInterval.Of(99, histogram.TotalCount);
        return new LatencySummary(
            histogram.TotalCount,
            _errors[(int)kind],
            ToMilliseconds(histogram.GetMean()),
            ToMilliseconds(histogram.GetValueAtPercentile(50)),
            ToMilliseconds(histogram.GetValueAtPercentile(95)),
            ToMilliseconds(histogram.GetValueAtPercentile(99)),
            ToMilliseconds(histogram.GetValueAtPercentile(99.9)),
            ToMilliseconds(histogram.GetMaxValue()))
        {
            P99LowMs = ToMilliseconds(histogram.GetValueAtPercentile(low)),
            P99HighMs = ToMilliseconds(histogram.GetValueAtPercentile(high)),
        };
    }

    private static LongHistogram NewHistogram() => new(HighestTrackableNanoseconds, SignificantDigits);

    private static double ToMilliseconds(double nanoseconds) => nanoseconds / 1_000_000.0;
}
