using System.Diagnostics;
using Spectre.Console;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.LoadClient.Measurement;
using StockNet.LoadClient.Reports;
using StockNet.LoadClient.Targets;
using StockNet.LoadClient.Workload;
using StockNet.Protocol;

namespace StockNet.LoadClient;

/// <summary>
/// Runs the sweep of <c>stocknet load</c>: for each cache setting a target (a cluster started here, or the
/// given URL), and for each trade probability one run of concurrent sessions; then the reports.
/// </summary>
public static class LoadRunner
{
    /// <summary>
    /// Unmeasured lookups per client before the first run, every second one followed by a sell/buy pair. Enough
    /// for the services' hot paths to reach their final JIT tier (30 calls, then a background recompile): with 10
    /// the first measured run's p99 was several times the later ones'.
    /// </summary>
    public const int WarmUpRoundsPerClient = 100;

    /// <summary>Runs the sweep, prints the table, writes the output folder and returns the exit code.</summary>
    public static async Task<int> RunAndReportAsync(LoadOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        LoadReport report;
        try
        {
            report = await RunAsync(options, console, TimeProvider.System, cancellationToken);
        }
        catch (ServiceStartException ex)
        {
            console.MarkupLineInterpolated($"[red]The cluster did not start:[/] {ex.Message}");
            return ExitCodes.BadOptions;
        }
        catch (TargetUnreachableException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return ExitCodes.BadOptions;
        }

        ResultsTable.Write(console, report);
        var written = await ReportWriter.WriteAllAsync(report, options.OutputDirectory, cancellationToken);
        console.MarkupLineInterpolated($"Results in [bold]{Path.GetFullPath(options.OutputDirectory)}[/]: {string.Join(", ", written)}");
        if (NoCachePlotReason(report) is { } reason)
        {
            console.MarkupLineInterpolated($"[yellow]{reason}[/]");
        }

        return ExitCodeOf(report);
    }

    /// <summary>
    /// Why cache.png is missing when runs with the cache on were watched but the front-end never answered its cache's
    /// contents: with <c>--url</c>, most often a front-end that wants the read-only token, which would otherwise go unsaid.
    /// </summary>
    public static string? NoCachePlotReason(LoadReport report) =>
        report.Runs.Any(run => run.Cache != CacheSetting.Off.Label) && !report.Runs.Any(run => run.CacheTimeline.Available)
            ? $"No {CachePlot.FileName}: the front-end did not answer GET {Routes.CacheContents}. If it needs the read-only token, "
                + $"set {ReadOnlyToken.EnvironmentVariable} (stocknet up keeps it in data/{ReadOnlyToken.FileName})."
            : null;

    public static int ExitCodeOf(LoadReport report) =>
        report.VerificationFailures > 0 ? ExitCodes.VerificationFailed
        : report.RequestErrors > 0 ? ExitCodes.RequestErrors
        : ExitCodes.Success;

    public static async Task<LoadReport> RunAsync(LoadOptions options, IAnsiConsole console, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var runs = new List<RunResult>();
        await ProgressDisplay.RunAsync(console, options.ShowProgress, async watcher =>
        {
            foreach (var setting in CacheSetting.For(options.Cache))
            {
                await using var target = await OpenTargetAsync(options, setting, cancellationToken);
                using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = options.Clients);
                var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
                var warmUp = options.WarmUp ? await WarmUpAsync(client, options, cancellationToken) : TimeSpan.Zero;

                for (var index = 0; index < options.Probabilities.Count; index++)
                {
                    var p = options.Probabilities[index];
                    var counter = new ProgressCounter();
                    await using var cache = setting.Enabled == false ? null : CacheWatcher.Start(target.FrontEndUrl);
                    var running = RunOnceAsync(client, options, setting, p, SeedOf(options, index), counter, timeProvider, cancellationToken);
                    await watcher.WatchAsync($"cache {setting.Label}, p = {ProbabilityList.Format(p)}", (long)options.Clients * options.Iterations, counter, running);
                    var run = await running;
                    run = run with { WarmUpSeconds = index == 0 ? Math.Round(warmUp.TotalSeconds, 1) : 0 };
                    runs.Add(cache is null ? run : run with { CacheTimeline = await cache.StopAsync() });
                }
            }
        });

        var target = options.Url?.ToString() ?? "embedded cluster (catalog, 3 order replicas, front-end)";
        return new LoadReport(
            startedAt, target, options.Seed, options.Clients, options.Iterations, options.MaxQuantity,
            options.MaxThinkTime.TotalMilliseconds, options.Stocks, runs);
    }

    /// <summary>One run: every session at once, under one deadline, then every session's verification at once, merged into one result.</summary>
    public static async Task<RunResult> RunOnceAsync(
        FrontEndClient client, LoadOptions options, CacheSetting setting, double p, int seed,
        ProgressCounter counter, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var settings = new SessionSettings(options.Stocks, options.Iterations, p, options.MaxQuantity, options.MaxThinkTime);
        var started = timeProvider.GetTimestamp();
        var deadline = timeProvider.GetUtcNow() + options.Duration;
        var sessions = Enumerable.Range(0, options.Clients)
            .Select(i => new LoadSession(client, settings, new Random(unchecked(seed + (i * 7919))), timeProvider))
            .ToArray();
        await Task.WhenAll(sessions.Select(session => Task.Run(() => session.IterateAsync(deadline, counter, cancellationToken), cancellationToken)));
        var results = await Task.WhenAll(sessions.Select(session => Task.Run(() => session.VerifyAsync(cancellationToken), cancellationToken)));
        return Merge(setting, p, options.Clients, results, timeProvider.GetElapsedTime(started));
    }

    private static RunResult Merge(CacheSetting setting, double p, int clients, SessionResult[] results, TimeSpan elapsed)
    {
        var recorder = LatencyRecorder.Merge(results.Select(result => result.Recorder));
        var verifier = new OrderVerifier();
        foreach (var result in results)
        {
            verifier.Add(result.Verifier);
        }

        var verification = new VerificationSummary(
            verifier.Checked, verifier.Matched, verifier.Mismatched, verifier.Missing, verifier.Unverified, [.. verifier.FailureDetails.Take(20)]);
        var latency = RequestKinds.All.ToDictionary(RequestKinds.Label, recorder.Summarize);
        return new RunResult(
            setting.Label, p, clients, results.Sum(r => r.Iterations), elapsed.TotalSeconds, results.Sum(r => r.CacheHits),
            results.Sum(r => r.OrdersPlaced), results.Sum(r => r.RefusedBuys), verification, latency)
        {
            Samples = recorder.Samples,
        };
    }

    /// <summary>
    /// Unmeasured requests before the first run, so that the first p does not pay for JIT compilation and
    /// connection set-up in client and services alike, which later runs would not. Trades come in sell and
    /// buy pairs of one share, leaving every stock's quantity as it was. Lasts the rounds, the minimum, and then
    /// until the throughput has settled or the maximum has passed. Returns how long it took.
    /// </summary>
    private static async Task<TimeSpan> WarmUpAsync(FrontEndClient client, LoadOptions options, CancellationToken cancellationToken)
    {
        await WaitForTradingAsync(client, options.Stocks[0], cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var settling = new WarmUpSettling();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = WatchSettlingAsync(settling, stopWatching.Token);
        bool Warm(int round)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            return round >= WarmUpRoundsPerClient && elapsed >= options.WarmUpMinimum && (settling.IsSettled || elapsed >= options.WarmUpMaximum);
        }

        var warmers = Enumerable.Range(0, options.Clients).Select(async worker =>
        {
            for (var i = 0; !Warm(i); i++)
            {
                var name = options.Stocks[(worker + i) % options.Stocks.Count];
                await client.LookupAsync(name, cancellationToken);
                if (i % 2 == 0)
                {
                    var sold = await client.TradeAsync(new TradeRequest(name, TradeType.Sell, 1), cancellationToken);
                    await client.TradeAsync(new TradeRequest(name, TradeType.Buy, 1), cancellationToken);
                    await client.QueryOrderAsync(sold.Value?.TransactionNumber ?? 0, cancellationToken);
                }

                settling.CountRound();
            }
        });
        await Task.WhenAll(warmers);
        await stopWatching.CancelAsync();
        await watching;
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task WatchSettlingAsync(WarmUpSettling settling, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WarmUpSettling.Window);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                settling.CloseWindow();
            }
        }
        catch (OperationCanceledException)
        {
            // The warm-up is over.
        }
    }

    /// <summary>
    /// A front-end can report ready while its first leader election is still running, and answer 503 to
    /// trades for a moment: wait (bounded) for one trade to go through, so that the runs measure trading.
    /// </summary>
    private static async Task WaitForTradingAsync(FrontEndClient client, string stock, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var sold = await client.TradeAsync(new TradeRequest(stock, TradeType.Sell, 1), cancellationToken);
            if (sold.IsSuccess)
            {
                await client.TradeAsync(new TradeRequest(stock, TradeType.Buy, 1), cancellationToken);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task<LoadTarget> OpenTargetAsync(LoadOptions options, CacheSetting setting, CancellationToken cancellationToken) =>
        options.Url is { } url
            ? await LoadTarget.ConnectAsync(url, cancellationToken)
            : await LoadTarget.StartClusterAsync(setting.Enabled ?? true, options.CacheSize, cancellationToken);

    /// <summary>
    /// Each p gets its own seed derived from the base, so runs repeat exactly with the same --seed. The cache
    /// settings share it on purpose: cache on and off then see the same requests, a fair comparison.
    /// </summary>
    private static int SeedOf(LoadOptions options, int probabilityIndex) => unchecked(options.Seed + (probabilityIndex * 1_000_003));
}
