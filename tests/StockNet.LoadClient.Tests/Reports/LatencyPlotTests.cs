using StockNet.LoadClient.Measurement;
using StockNet.LoadClient.Reports;

namespace StockNet.LoadClient.Tests.Reports;

public sealed class LatencyPlotTests
{
    private static readonly string[] Settings = ["on", "off"];
    private static readonly double[] Ps = [0.0, 0.4, 0.8];

    [Fact]
    public void Title_Sweep_NamesEverySettingThatMakesRunsComparable()
    {
        var report = new LoadReport(
            new DateTimeOffset(2026, 11, 30, 6, 5, 59, TimeSpan.Zero), "embedded cluster", 42, 5, 600, 5, 10, ["GOOG"], []);

        var title = LatencyPlot.Title(report, ["on", "off"]);

        Assert.Equal("stocknet load: 5 clients x 600 iterations, think 0-10 ms, seed 42, cache on and off, 2026-11-30 06:05 UTC. n under each p: samples per point.", title);
    }

    [Theory]
    [InlineData(new long[] { 3000, 3000 }, "0.2\nn=3000")]
    [InlineData(new long[] { 590, 612 }, "0.2\nn=590/612")]
    [InlineData(new long[0], "0.2\nn=0")]
    public void TickLabel_CountsPerSetting_OneCountWhenTheyAgree(long[] counts, string expected)
    {
        Assert.Equal(expected.Replace("\n", Environment.NewLine, StringComparison.Ordinal), LatencyPlot.TickLabel(0.2, counts));
    }

    [Fact]
    public void SaveAll_TwoSettingsThreeP_WritesPng()
    {
        var directory = Directory.CreateTempSubdirectory("stocknet-plot-").FullName;
        var summary = new LatencySummary(100, 0, 1.5, 1.2, 2, 3, 4, 5);
        var runs = from cache in Settings
                   from p in Ps
                   select new RunResult(cache, p, 5, 100, 1, 0, 0, 0, new VerificationSummary(0, 0, 0, 0, 0, []),
                       new Dictionary<string, LatencySummary> { ["lookup"] = summary, ["trade"] = p == 0 ? LatencySummary.Empty : summary });
        var report = new LoadReport(DateTimeOffset.UnixEpoch, "t", 1, 5, 100, 5, 10, ["GOOG"], [.. runs]);

        var written = LatencyPlot.SaveAll(report, directory);

        Assert.Equal(["latency.png"], written);
        Assert.True(new FileInfo(Path.Combine(directory, "latency.png")).Length > 10_000);
        Directory.Delete(directory, recursive: true);
    }
}
