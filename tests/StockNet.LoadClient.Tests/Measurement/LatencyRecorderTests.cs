using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Tests.Measurement;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Summarize_ValuesOneToThousand_ExactPercentiles()
    {
        var recorder = new LatencyRecorder();
        for (var ns = 1; ns <= 1000; ns++)
        {
            recorder.RecordNanoseconds(RequestKind.Lookup, ns, 200, isError: false);
        }

        var summary = recorder.Summarize(RequestKind.Lookup);

        Assert.Equal(new LatencySummary(1000, 0, 0.0005005, 0.0005, 0.00095, 0.00099, 0.000999, 0.001) { P99LowMs = 0.000983, P99HighMs = 0.000997 }, summary);
    }

    [Fact]
    public void Merge_TwoWorkers_SameAsOneRecorder()
    {
        var first = new LatencyRecorder(keepSamples: true);
        var second = new LatencyRecorder(keepSamples: true);
        for (var ns = 1; ns <= 500; ns++)
        {
            first.RecordNanoseconds(RequestKind.Trade, ns, 200, isError: false);
            second.RecordNanoseconds(RequestKind.Trade, ns + 500, ns % 100 == 0 ? 503 : 200, isError: ns % 100 == 0);
        }

        var merged = LatencyRecorder.Merge([first, second]);

        Assert.Equal(new LatencySummary(1000, 5, 0.0005005, 0.0005, 0.00095, 0.00099, 0.000999, 0.001) { P99LowMs = 0.000983, P99HighMs = 0.000997 }, merged.Summarize(RequestKind.Trade));
        Assert.Equal(LatencySummary.Empty, merged.Summarize(RequestKind.Lookup));
        Assert.Equal(1000, merged.Samples.Count);
        Assert.Equal(new Sample(RequestKind.Trade, 1.0, 503), merged.Samples[999]);
        Assert.Equal(new Sample(RequestKind.Trade, 0.001, 200), merged.Samples[0]);
    }

    [Fact]
    public void Summarize_Milliseconds_ReportedInMilliseconds()
    {
        var recorder = new LatencyRecorder();
        recorder.RecordNanoseconds(RequestKind.OrderQuery, 2_000_000, 200, isError: false);
        recorder.RecordNanoseconds(RequestKind.OrderQuery, 2_000_000, 200, isError: false);

        var summary = recorder.Summarize(RequestKind.OrderQuery);

        // 2 ms is recorded to 3 significant digits: within one bucket of 2,000,000 ns.
        Assert.Equal(2, summary.Count);
        Assert.InRange(summary.P50Ms, 2.0, 2.002);
        Assert.Equal(summary.P50Ms, summary.MaxMs);
    }

    [Fact]
    public void RecordNanoseconds_BeyondHighestTrackable_Clamped()
    {
        var recorder = new LatencyRecorder();

        recorder.RecordNanoseconds(RequestKind.Lookup, long.MaxValue, 0, isError: true);

        var summary = recorder.Summarize(RequestKind.Lookup);
        Assert.Equal(1, summary.Count);
        Assert.Equal(1, summary.Errors);
        Assert.InRange(summary.MaxMs, 60_000, 60_100);
    }
}
