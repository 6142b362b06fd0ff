using Spectre.Console;
using StockNet.LoadClient.Bench;
using StockNet.LoadClient.Tests.Infrastructure;

namespace StockNet.LoadClient.Tests.Bench;

/// <summary>The throughput path of the benchmark, briefly, against the stub front-end.</summary>
public sealed class BenchRunnerTests
{
    [Fact]
    public async Task RunAsync_AgainstUrl_ThroughputScenariosOnlyWithoutErrors()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var stub = await StubFrontEnd.StartAsync(timeout.Token);
        var options = new BenchOptions
        {
            Url = stub.BaseAddress,
            Connections = [1, 4],
            Duration = TimeSpan.FromMilliseconds(300),
            Warmup = TimeSpan.FromMilliseconds(100),
            ScenarioWarmup = TimeSpan.FromMilliseconds(200),
        };

        var report = await BenchRunner.RunAsync(options, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), timeout.Token);

        Assert.Equal(
            ["cached-lookup/1", "cached-lookup/4", "trade/1", "trade/4", "order-query/1", "order-query/4"],
            report.Throughput.Select(r => $"{r.Scenario}/{r.Connections}"));
        Assert.All(report.Throughput, r => Assert.Equal(0, r.Errors));
        // Not every row: on a loaded machine one slow first request can outlast a 300 ms window.
        Assert.True(report.Throughput.Sum(r => r.Requests) > 0);
        Assert.Null(report.Failover);
        Assert.Null(report.Recovery);
        Assert.Single(report.Notes);
    }
}
