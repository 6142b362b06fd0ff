using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using StockNet.Cluster;
using StockNet.LoadClient.Reports;

namespace StockNet.LoadClient.Bench;

/// <summary>The <c>stocknet bench</c> command: closed-loop throughput and latency, failover and recovery.</summary>
public static class BenchCommand
{
    private static readonly Option<string?> UrlOption = new("--url")
    {
        Description = "Base URL of a running front-end. Without it, bench starts its own clusters (needed for uncached lookups, failover and recovery).",
    };

    private static readonly Option<string> ConnectionsOption = new("--connections")
    {
        Description = "Comma-separated concurrent connections to measure each throughput scenario at.",
        DefaultValueFactory = _ => "1,8,64",
    };

    private static readonly Option<double> DurationOption = new("--duration")
    {
        Description = "Measured seconds per scenario and concurrency.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<double> WarmupOption = new("--warmup")
    {
        Description = "Unmeasured warm-up seconds before each measurement.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<double> ScenarioWarmupOption = new("--scenario-warmup")
    {
        Description = "Unmeasured seconds each throughput scenario runs at the highest --connections before its first measurement, so the services run compiled, optimized code when measured (a fresh cluster's first trades cost several times the CPU of later ones).",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<string> ScenariosOption = new("--scenarios")
    {
        Description = "Comma-separated scenarios: cached-lookup, uncached-lookup, trade, order-query, failover, recovery.",
        DefaultValueFactory = _ => string.Join(',', BenchScenarios.All.Select(BenchScenarios.Label)),
    };

    private static readonly Option<int> CacheSizeOption = new("--cache-size")
    {
        Description = "Front-end cache capacity of the cluster bench starts; the cached-lookup hot set fits within it.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<int> RecoveryOrdersOption = new("--recovery-orders")
    {
        Description = "Orders placed while a follower is down, in the recovery scenario.",
        DefaultValueFactory = _ => 10_000,
    };

    private static readonly Option<string?> MarkdownOption = new("--markdown")
    {
        Description = "Write the results as a Markdown table (with the targets in docs/benchmarks.md) to this file.",
    };

    private static readonly Option<bool> WrkOption = new("--wrk")
    {
        Description = "Cross-check lookups and trades with wrk (must be on the PATH) against the same front-end.",
    };

    private static readonly Option<string?> JsonOption = new("--json")
    {
        Description = "Write the results as JSON to this file.",
    };

    private static readonly Option<bool> InsecureOption = new("--insecure")
    {
        Description = "Start the clusters without a cluster key: no request is signed or checked. Only to measure what the credential costs (compare with a run without it).",
    };

    private static readonly Option<string?> HistoryOption = new("--history")
    {
        Description = "Instead: comma-separated history sizes (e.g. 0,100000,1000000); each gets a fresh cluster filled with that many orders through the public API, then memory, trades, uniform order queries, restart, recovery and failover are measured (docs/benchmarks.md, \"Cost of history\").",
    };

    private static readonly Option<string> HistoryFillOption = new("--history-fill")
    {
        Description = "How --history fills: 'api' (trades through the front-end) or 'direct' (rows written into each replica's log before the cluster starts, behind the services' backs; for a machine too busy to trade a million orders).",
        DefaultValueFactory = _ => "api",
    };

    private static readonly Option<bool> TelemetryOverheadOption = new("--telemetry-overhead")
    {
        Description = "Instead: cached lookups and trades with telemetry off and fully on (traces exported to a local OTLP sink, /metrics scraped every second), three alternating rounds at the highest --connections.",
    };

    private static readonly Option<string?> WrkScriptOption = new("--wrk-script")
    {
        Description = "Instead: write the Lua script of the wrk trades (each a new order with its own Idempotency-Key) to this file and exit, to run wrk by hand: wrk -c1 -d10s --latency -s FILE http://127.0.0.1:9001/orders.",
    };

    public static Command Create()
    {
        var command = new Command("bench", "Measure maximum throughput and latency (closed loop), failover after kill -9 of the leader, and replica recovery.");
        foreach (var option in new Option[] { UrlOption, ConnectionsOption, DurationOption, WarmupOption, ScenarioWarmupOption, ScenariosOption, CacheSizeOption, RecoveryOrdersOption, MarkdownOption, JsonOption, WrkOption, InsecureOption, TelemetryOverheadOption, HistoryOption, HistoryFillOption, WrkScriptOption })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(WrkScriptOption) is { } scriptPath)
            {
                await WrkCrossCheck.WriteTradeScriptAsync(scriptPath, cancellationToken);
                return 0;
            }

            var (options, errors) = Bind(parseResult);
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return ExitCodes.BadOptions;
            }

            if (options.History.Count > 0)
            {
                return await RunHistoryAsync(options, AnsiConsole.Console, cancellationToken);
            }

            return parseResult.GetValue(TelemetryOverheadOption)
                ? await RunOverheadAsync(options, AnsiConsole.Console, cancellationToken)
                : await RunAndReportAsync(options, AnsiConsole.Console, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAndReportAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        BenchReport report;
        try
        {
            report = await BenchRunner.RunAsync(options, console, cancellationToken);
        }
        catch (ServiceStartException ex)
        {
            console.MarkupLineInterpolated($"[red]The cluster did not start:[/] {ex.Message}");
            return ExitCodes.BadOptions;
        }
        catch (Targets.TargetUnreachableException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return ExitCodes.BadOptions;
        }

        BenchTable.Write(console, report);
        if (options.MarkdownPath is { } markdown)
        {
            await File.WriteAllTextAsync(markdown, BenchTable.ToMarkdown(report), cancellationToken);
        }

        if (options.JsonPath is { } json)
        {
            await using var stream = File.Create(json);
            await JsonSerializer.SerializeAsync(stream, report, LoadClientJsonContext.Default.BenchReport, cancellationToken);
        }

        return ExitCodes.Success;
    }

    public static async Task<int> RunHistoryAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        List<HistoryResult> results;
        try
        {
            results = await HistoryBench.RunAsync(options, console, cancellationToken);
        }
        catch (ServiceStartException ex)
        {
            console.MarkupLineInterpolated($"[red]The cluster did not start:[/] {ex.Message}");
            return ExitCodes.BadOptions;
        }

        var table = HistoryTable.ToMarkdown(results);
        console.WriteLine(table);
        console.MarkupLineInterpolated($"Machine: {MachineInfo.Describe()}");
        if (options.MarkdownPath is { } markdown)
        {
            await File.WriteAllTextAsync(markdown, table, cancellationToken);
        }

        return ExitCodes.Success;
    }

    public static async Task<int> RunOverheadAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var results = await TelemetryOverheadBench.RunAsync(options, console, cancellationToken);
        var table = new Table().AddColumns(
            "scenario", "conn.", "off (req/s, 3 runs)", "on (req/s, 3 runs)", "median off", "median on", "throughput cost", "paired",
            "services CPU µs/req off", "on", "CPU cost", "front-end µs/req off", "on", "sink µs/req", "load average");
        foreach (var result in results)
        {
            table.AddRow(
                result.Scenario, result.Connections.ToString(CultureInfo.InvariantCulture),
                Runs(result.Off), Runs(result.On),
                result.MedianOff.ToString("N0", CultureInfo.InvariantCulture), result.MedianOn.ToString("N0", CultureInfo.InvariantCulture),
                result.OverheadPercent.ToString("0.0", CultureInfo.InvariantCulture) + "%",
                result.PairedOverheadPercent.ToString("0.0", CultureInfo.InvariantCulture) + "%",
                result.MedianCpuOff.ToString("0", CultureInfo.InvariantCulture), result.MedianCpuOn.ToString("0", CultureInfo.InvariantCulture),
                result.CpuOverheadPercent.ToString("0.0", CultureInfo.InvariantCulture) + "%",
                result.MedianFrontEndOff.ToString("0", CultureInfo.InvariantCulture), result.MedianFrontEndOn.ToString("0", CultureInfo.InvariantCulture),
                result.MedianSinkOn.ToString("0.0", CultureInfo.InvariantCulture),
                FormattableString.Invariant($"{result.MinLoad:0.0}-{result.MaxLoad:0.0}"));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Machine: {MachineInfo.Describe()}");
        if (File.Exists("/proc/loadavg"))
        {
            console.MarkupLineInterpolated($"Load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        return ExitCodes.Success;
    }

    private static string Runs(IReadOnlyList<OverheadRun> runs) =>
        string.Join(" / ", runs.Select(run => run.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)));

    /// <summary>Turns parsed flags into options, reporting every bad value at once.</summary>
    public static (BenchOptions? Options, IReadOnlyList<string> Errors) Bind(ParseResult parseResult)
    {
        var errors = parseResult.Errors.Select(error => error.Message).ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var urlText = parseResult.GetValue(UrlOption);
        Uri? url = null;
        if (urlText is not null && !(Uri.TryCreate(urlText, UriKind.Absolute, out url) && url.Scheme is "http" or "https"))
        {
            errors.Add($"--url: '{urlText}' is not an absolute http:// or https:// URL.");
        }

        var connections = ParseConnections(parseResult.GetValue(ConnectionsOption)!, errors);
        var history = ParseHistory(parseResult.GetValue(HistoryOption), errors);
        if (history.Count > 0 && url is not null)
        {
            errors.Add("--history starts its own clusters: it cannot be combined with --url.");
        }

        var historyFill = parseResult.GetValue(HistoryFillOption);
        if (historyFill is not ("api" or "direct"))
        {
            errors.Add($"--history-fill: '{historyFill}' is not 'api' or 'direct'.");
        }

        var scenarios = ParseScenarios(parseResult.GetValue(ScenariosOption)!, errors);
        var duration = parseResult.GetValue(DurationOption);
        var warmup = parseResult.GetValue(WarmupOption);
        var scenarioWarmup = parseResult.GetValue(ScenarioWarmupOption);
        if (duration <= 0 || warmup < 0 || scenarioWarmup < 0)
        {
            errors.Add("--duration must be more than 0 seconds, --warmup and --scenario-warmup 0 or more.");
        }

        var cacheSize = parseResult.GetValue(CacheSizeOption);
        var recoveryOrders = parseResult.GetValue(RecoveryOrdersOption);
        if (cacheSize < 1 || recoveryOrders < 1)
        {
            errors.Add("--cache-size and --recovery-orders must be at least 1.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new BenchOptions
        {
            Url = url,
            Connections = connections,
            Duration = TimeSpan.FromSeconds(duration),
            Warmup = TimeSpan.FromSeconds(warmup),
            ScenarioWarmup = TimeSpan.FromSeconds(scenarioWarmup),
            Scenarios = scenarios,
            CacheSize = cacheSize,
            RecoveryOrders = recoveryOrders,
            MarkdownPath = parseResult.GetValue(MarkdownOption),
            JsonPath = parseResult.GetValue(JsonOption),
            Wrk = parseResult.GetValue(WrkOption),
            Insecure = parseResult.GetValue(InsecureOption),
            History = history,
            HistoryDirect = historyFill == "direct",
        }, errors);
    }

    private static List<long> ParseHistory(string? text, List<string> errors)
    {
        var values = new List<long>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 100_000_000)
            {
                values.Add(value);
            }
            else
            {
                errors.Add($"--history: '{part}' is not a whole number of orders from 0 to 100,000,000.");
            }
        }

        return values;
    }

    private static List<int> ParseConnections(string text, List<string> errors)
    {
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 4096)
            {
                values.Add(value);
            }
            else
            {
                errors.Add($"--connections: '{part}' is not a whole number from 1 to 4096.");
            }
        }

        return values;
    }

    private static List<BenchScenario> ParseScenarios(string text, List<string> errors)
    {
        var values = new List<BenchScenario>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (BenchScenarios.TryParse(part, out var scenario))
            {
                values.Add(scenario);
            }
            else
            {
                errors.Add($"--scenarios: '{part}' is not one of {string.Join(", ", BenchScenarios.All.Select(BenchScenarios.Label))}.");
            }
        }

        return values;
    }
}
