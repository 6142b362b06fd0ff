using StockNet.LoadClient.Bench;

namespace StockNet.LoadClient.Tests.Bench;

public sealed class BenchCommandTests
{
    [Fact]
    public void Bind_NoFlags_Defaults()
    {
        var (options, errors) = Bind();

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Null(options.Url);
        Assert.Equal([1, 8, 64], options.Connections);
        Assert.Equal(BenchScenarios.All, options.Scenarios);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (options.Duration, options.Warmup));
        Assert.Equal((5, 10_000), (options.CacheSize, options.RecoveryOrders));
        Assert.Null(options.MarkdownPath);
    }

    [Fact]
    public void Help_MarkdownOption_PointsAtTheTargetsInTheDocs()
    {
        var markdown = BenchCommand.Create().Options.Single(option => option.Name == "--markdown");

        Assert.Equal("Write the results as a Markdown table (with the targets in docs/benchmarks.md) to this file.", markdown.Description);
    }

    [Fact]
    public void Bind_EveryFlag_Applied()
    {
        var (options, errors) = Bind(
            "--url", "http://127.0.0.1:9001", "--connections", "2,4", "--duration", "0.5", "--warmup", "0", "--scenario-warmup", "2",
            "--scenarios", "cached-lookup,Trade", "--cache-size", "3", "--recovery-orders", "100", "--markdown", "b.md", "--json", "b.json");

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:9001"), options.Url);
        Assert.Equal([2, 4], options.Connections);
        Assert.Equal([BenchScenario.CachedLookup, BenchScenario.Trade], options.Scenarios);
        Assert.Equal((TimeSpan.FromSeconds(0.5), TimeSpan.Zero, TimeSpan.FromSeconds(2)), (options.Duration, options.Warmup, options.ScenarioWarmup));
        Assert.Equal((3, 100, "b.md", "b.json"), (options.CacheSize, options.RecoveryOrders, options.MarkdownPath, options.JsonPath));
    }

    [Fact]
    public void Bind_SeveralBadValues_EveryErrorReported()
    {
        var (options, errors) = Bind("--url", "ftp://x", "--connections", "0,8,x", "--scenarios", "lookups", "--duration", "0", "--scenario-warmup", "-1");

        Assert.Null(options);
        Assert.Equal(
            [
                "--url: 'ftp://x' is not an absolute http:// or https:// URL.",
                "--connections: '0' is not a whole number from 1 to 4096.",
                "--connections: 'x' is not a whole number from 1 to 4096.",
                "--scenarios: 'lookups' is not one of cached-lookup, uncached-lookup, trade, order-query, failover, recovery.",
                "--duration must be more than 0 seconds, --warmup and --scenario-warmup 0 or more.",
            ],
            errors);
    }

    [Fact]
    public void Bind_History_SizesInOrder()
    {
        var (options, errors) = Bind("--history", "0, 100000,1000000");

        Assert.Empty(errors);
        Assert.Equal([0L, 100_000L, 1_000_000L], options!.History);
    }

    [Fact]
    public void Bind_HistoryWithUrlOrBadSize_Refused()
    {
        var (badSizes, sizeErrors) = Bind("--history", "-5,x");
        var (withUrl, urlErrors) = Bind("--history", "5", "--url", "http://127.0.0.1:9001");

        Assert.Null(badSizes);
        Assert.Equal(
            [
                "--history: '-5' is not a whole number of orders from 0 to 100,000,000.",
                "--history: 'x' is not a whole number of orders from 0 to 100,000,000.",
            ],
            sizeErrors);
        Assert.Null(withUrl);
        Assert.Equal(["--history starts its own clusters: it cannot be combined with --url."], urlErrors);
    }

    [Fact]
    public async Task WrkScript_WritesTheTradeScriptAndStartsNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stocknet-wrk-script-test-{Guid.NewGuid():N}.lua");
        try
        {
            var exitCode = await BenchCommand.Create().Parse(["--wrk-script", path]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(0, exitCode);
            var script = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.Contains("wrk.format(\"POST\"", script, StringComparison.Ordinal);
            Assert.Contains($"[\"{StockNet.Contracts.Routes.IdempotencyKeyHeader}\"]", script, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (BenchOptions? Options, IReadOnlyList<string> Errors) Bind(params string[] args) =>
        BenchCommand.Bind(BenchCommand.Create().Parse(args));
}
