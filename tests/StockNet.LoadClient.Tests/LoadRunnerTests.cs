using Spectre.Console;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.LoadClient.Measurement;
using StockNet.LoadClient.Reports;
using StockNet.LoadClient.Tests.Infrastructure;

namespace StockNet.LoadClient.Tests;

/// <summary>The whole client path, sessions to output folder, against an in-process stub front-end.</summary>
public sealed class LoadRunnerTests : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "stocknet-load-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outputDirectory))
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_HonestFrontEnd_EveryOrderVerifiedAndFilesWritten()
    {
        using var timeout = Bounded();
        await using var stub = await StubFrontEnd.StartAsync(timeout.Token);

        var report = await LoadRunner.RunAsync(Options(stub), QuietConsole(), TimeProvider.System, timeout.Token);
        var written = await ReportWriter.WriteAllAsync(report, _outputDirectory, timeout.Token);

        Assert.Equal([0.0, 0.5, 1.0], report.Runs.Select(run => run.P));
        Assert.All(report.Runs, run => Assert.Equal(("on", 3 * 20), (run.Cache, run.IterationsDone)));
        Assert.All(report.Runs, run => Assert.Equal(run.OrdersPlaced, run.Verification.Matched));
        Assert.Equal(0, report.Runs[0].OrdersPlaced);
        Assert.Equal(60, report.Runs[2].OrdersPlaced);
        // The warm-up places one sell/buy pair to see trading work, then a pair every second round per client, outside the measured runs.
        Assert.Equal(stub.OrderCount - 2 - (3 * (LoadRunner.WarmUpRoundsPerClient / 2) * 2), report.Runs.Sum(run => run.OrdersPlaced));
        Assert.All(report.Runs, run => Assert.Equal(60, run.For(RequestKind.Lookup).Count));
        // The stub says MISS only the first time a stock is looked up, which the warm-up did for all ten.
        Assert.All(report.Runs, run => Assert.Equal(60, run.CacheHits));
        Assert.Equal((0, 0L), (report.VerificationFailures, report.RequestErrors));
        Assert.Equal(ExitCodes.Success, LoadRunner.ExitCodeOf(report));
        Assert.Equal(["results.json", "samples.csv", "latency.png"], written);
        var csv = await File.ReadAllLinesAsync(Path.Combine(_outputDirectory, "samples.csv"), timeout.Token);
        Assert.Equal("cache,p,request,latency_us,status,start_ms", csv[0]);
        Assert.Equal(report.Runs.Sum(run => run.Samples.Count), csv.Length - 1);
        Assert.True(new FileInfo(Path.Combine(_outputDirectory, "latency.png")).Length > 10_000);
    }

    [Fact]
    public async Task RunAsync_WrongAndMissingReplies_CaughtAndCounted()
    {
        using var timeout = Bounded();
        await using var stub = await StubFrontEnd.StartAsync(timeout.Token);
        // Order 1 comes back with another quantity, order 2 is gone, the rest are honest.
        stub.Tamper = order => order.Number switch
        {
            1 => order with { Quantity = order.Quantity + 1 },
            2 => null,
            _ => order,
        };

        // No warm-up trades, so that the session orders are numbered from 0.
        var options = Options(stub) with { Probabilities = [1.0], WarmUp = false };
        var report = await LoadRunner.RunAsync(options, QuietConsole(), TimeProvider.System, timeout.Token);

        var verification = Assert.Single(report.Runs).Verification;
        Assert.Equal((60, 58, 1, 1, 0), (verification.Checked, verification.Matched, verification.Mismatched, verification.Missing, verification.Unverified));
        Assert.Equal(2, report.VerificationFailures);
        Assert.Collection(
            verification.FirstFailures.Order(StringComparer.Ordinal),
            failure => Assert.StartsWith("order 1: placed ", failure),
            failure => Assert.EndsWith(", the front-end says it does not exist", failure));
        Assert.Equal(ExitCodes.VerificationFailed, LoadRunner.ExitCodeOf(report));
    }

    [Fact]
    public async Task RunAsync_BuysRefusedForStock_CountedButNotErrors()
    {
        using var timeout = Bounded();
        await using var stub = await StubFrontEnd.StartAsync(timeout.Token);
        stub.SoldOut = "GOOG";

        var options = Options(stub) with { Probabilities = [1.0], Stocks = ["GOOG"] };
        var report = await LoadRunner.RunAsync(options, QuietConsole(), TimeProvider.System, timeout.Token);

        var run = Assert.Single(report.Runs);
        Assert.Equal(60, run.RefusedBuys + run.OrdersPlaced);
        Assert.True(run.RefusedBuys > 0);
        Assert.Equal([], run.Samples.Where(s => s.Kind == RequestKind.Trade && s.Status != 200 && s.Status != 400));
        Assert.Equal(0, run.For(RequestKind.Trade).Errors);
        Assert.Equal(ExitCodes.Success, LoadRunner.ExitCodeOf(report));
    }

    [Fact]
    public async Task RunAndReportAsync_NothingListening_ExitCodeTwoAndNoFiles()
    {
        using var timeout = Bounded();
        using var nothingListens = RefusingPort.Hold();
        var options = new LoadOptions { Url = new Uri(nothingListens.Url), Cache = null, OutputDirectory = _outputDirectory, ShowProgress = false };

        var exitCode = await LoadRunner.RunAndReportAsync(options, QuietConsole(), timeout.Token);

        Assert.Equal(ExitCodes.BadOptions, exitCode);
        Assert.False(Directory.Exists(_outputDirectory));
    }

    [Fact]
    public async Task RunAndReportAsync_FrontEndWithoutCacheContents_SaysWhyThereIsNoCachePlot()
    {
        using var timeout = Bounded();
        await using var stub = await StubFrontEnd.StartAsync(timeout.Token);
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), ColorSystem = ColorSystemSupport.NoColors });
        // As wide as stocknet makes a piped console (its ConsoleWidth), so the sentence is not cut into a table's width.
        console.Profile.Width = 140;

        var exitCode = await LoadRunner.RunAndReportAsync(Options(stub) with { OutputDirectory = _outputDirectory }, console, timeout.Token);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.False(File.Exists(Path.Combine(_outputDirectory, CachePlot.FileName)));
        Assert.Contains("No cache.png: the front-end did not answer GET /cache/contents. If it needs the read-only token, set STOCKNET_METRICS_TOKEN", output.ToString().ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    private static LoadOptions Options(StubFrontEnd stub) => new()
    {
        Url = stub.BaseAddress,
        Cache = CacheMode.On,
        Clients = 3,
        Iterations = 20,
        Probabilities = [0, 0.5, 1.0],
        MaxThinkTime = TimeSpan.FromMilliseconds(1),
        Seed = 7,
        Duration = TimeSpan.FromSeconds(30),
        ShowProgress = false,
        WarmUpMinimum = TimeSpan.Zero,
        WarmUpMaximum = TimeSpan.Zero,
    };

    private static IAnsiConsole QuietConsole() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });

    private static CancellationTokenSource Bounded()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TestTimeout);
        return source;
    }
}
