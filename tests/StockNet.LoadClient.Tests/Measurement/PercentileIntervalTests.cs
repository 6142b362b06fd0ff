using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Tests.Measurement;

public sealed class PercentileIntervalTests
{
    [Theory]
    [InlineData(3_000, 20, 42)]
    [InlineData(600, 2, 12)]
    [InlineData(10_000, 81, 121)]
    public void Of_P99_RanksFromTheTopAsTheBinomialGives(long count, long slowestHigh, long slowestLow)
    {
        var (low, high) = PercentileInterval.Of(99, count);

        // As ranks from the slowest request: the interval's upper end is the slowestHigh-th slowest.
        Assert.Equal(slowestLow, Math.Round(count * (100 - low) / 100.0) + 1);
        Assert.Equal(slowestHigh, Math.Round(count * (100 - high) / 100.0) + 1);
    }

    [Fact]
    public void Of_FewSamples_ClampedToTheSamples()
    {
        var (low, high) = PercentileInterval.Of(99, 10);

        Assert.True(low >= 10 && high == 100, $"{low} {high}");
    }
}
