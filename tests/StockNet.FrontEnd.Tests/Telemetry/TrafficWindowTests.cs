using System.Diagnostics;
using StockNet.FrontEnd.Telemetry;

namespace StockNet.FrontEnd.Tests.Telemetry;

public sealed class TrafficWindowTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly long Millisecond = Stopwatch.Frequency / 1000;

    [Fact]
    public void Summarize_NothingRecorded_ReportsZero()
    {
        Assert.Equal((0, 0, 0), new TrafficWindow().Summarize());
    }

    [Fact]
    public void Summarize_FullSecondsOfRequests_GivesRateAndPercentilesWithinABucket()
    {
        var window = new TrafficWindow();
        var start = 1_000 * Second;
        for (var i = 0; i < 100; i++)
        {
            // 99 requests of 1 ms and one of 50 ms, in one second.
            var end = start + (i * Millisecond);
            window.Record(end - (i == 0 ? 50 : 1) * Millisecond, end);
        }

        var (perSecond, p50, p99) = window.Summarize(start + (2 * Second));

        Assert.Equal(100.0 / TrafficWindow.WindowSeconds, perSecond);
        Assert.InRange(p50, 1.0, 1.2);
        Assert.InRange(p99, 1.0, 1.2);
    }

    [Fact]
    public void Summarize_TheSecondBeingFilled_IsLeftOut()
    {
        var window = new TrafficWindow();
        var now = 1_000 * Second;
        window.Record(now - Millisecond, now);

        Assert.Equal(0, window.Summarize(now).PerSecond);
        Assert.Equal(0.1, window.Summarize(now + Second).PerSecond);
        Assert.Equal(0, window.Summarize(now + ((TrafficWindow.WindowSeconds + 1) * Second)).PerSecond);
    }
}
