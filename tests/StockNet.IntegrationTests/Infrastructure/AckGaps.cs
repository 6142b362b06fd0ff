using StockNet.Chaos;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>Figures for the test output (never asserted on: speed is the benchmark's business).</summary>
public static class AckGaps
{
    /// <summary>The longest time without any acknowledgement after <paramref name="since"/>: how long trading stood still.</summary>
    public static TimeSpan LongestAfter(IReadOnlyList<AcknowledgedOrder> acknowledged, TimeSpan since)
    {
        var times = acknowledged.Select(order => order.At).Where(at => at >= since).Order().Prepend(since).ToArray();
        var longest = TimeSpan.Zero;
        for (var i = 1; i < times.Length; i++)
        {
            longest = times[i] - times[i - 1] > longest ? times[i] - times[i - 1] : longest;
        }

        return longest;
    }

    public static void Report(string what, TimeSpan gap) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: trading stood still for at most {gap.TotalMilliseconds:0} ms.");
}
