using StockNet.LoadClient.Bench;

namespace StockNet.LoadClient.Tests.Bench;

public sealed class BenchTargetsTests
{
    [Theory]
    [InlineData("cached-lookup", 1, 0.09, 1_000, "p50 <= 0.1 ms", true)]
    [InlineData("cached-lookup", 1, 0.11, 1_000, "p50 <= 0.1 ms", false)]
    [InlineData("cached-lookup", 8, 0.5, 100_000, "", null)]
    [InlineData("cached-lookup", 64, 1.0, 50_000, ">= 50,000 req/s", true)]
    [InlineData("uncached-lookup", 64, 1.0, 14_999, ">= 15,000 req/s", false)]
    [InlineData("trade", 1, 0.5, 2_000, "p50 <= 0.5 ms", true)]
    [InlineData("trade", 1, 0.6, 1_600, "p50 <= 0.5 ms", false)]
    [InlineData("trade", 64, 8, 8_000, ">= 8,000 req/s", true)]
    [InlineData("trade", 64, 20, 3_000, ">= 8,000 req/s", false)]
    [InlineData("order-query", 64, 2, 19_000, ">= 20,000 req/s", false)]
    public void For_Row_TargetAndVerdict(string scenario, int connections, double p50, double rps, string target, bool? met)
    {
        var result = new ThroughputResult(scenario, connections, 1, 0, 1, rps, p50, p50, p50, p50);

        Assert.Equal((target, met), BenchTargets.For(result, highestConnections: 64));
    }

    [Fact]
    public void For_HighestBelow64_ThroughputTargetAtHighest()
    {
        var result = new ThroughputResult("trade", 16, 1, 0, 1, 8_500, 5, 5, 5, 5);

        Assert.Equal((">= 8,000 req/s", (bool?)true), BenchTargets.For(result, highestConnections: 16));
    }

    [Fact]
    public void ToMarkdown_Report_TableWithTargets()
    {
        var report = new BenchReport(
            new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero), "t", "2 cores", 5, 1,
            [new ThroughputResult("cached-lookup", 64, 300_000, 0, 5, 60_000, 1, 0.9, 2.5, 9)],
            new FailoverResult(3, 2, 120.4, 100, 200, 0),
            new RecoveryResult(1, 10_000, 850, 10_000, true),
            new Dictionary<string, double> { ["catalog"] = 80.4, ["frontend"] = 151 },
            []);

        var lines = BenchTable.ToMarkdown(report).Split('\n');

        Assert.Equal("| scenario | connections | requests/s | p50 (ms) | p99 (ms) | errors | target | met |", lines[0]);
        Assert.Equal("| cached-lookup | 64 | 60,000 | 0.900 | 2.500 | 0 | >= 50,000 req/s | yes |", lines[2]);
        Assert.StartsWith("- failover: kill -9 of leader order-3, first successful trade 120 ms later, 0 client errors", lines[4], StringComparison.Ordinal);
        Assert.Equal("- recovery: order-1 missed 10000 orders, ready 850 ms after its start, holds 10000 of them; target ready <= 2 s with every order: yes", lines[5]);
        Assert.Equal("- peak resident memory after the throughput scenarios: catalog 80 MB, frontend 151 MB; target <= 150 MB each: NO", lines[6]);
    }
}
