using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using StockNet.Cluster;

namespace StockNet.Chaos;

/// <summary>
/// <c>stocknet chaos</c>: starts a cluster (or checks one given by URLs), loads it while killing and freezing its
/// processes at seeded random moments, then checks every invariant. Exit 0: all held; 1: a violation; 2: bad flags
/// or no cluster to work on.
/// </summary>
public static class ChaosCommand
{
    public const int Violated = 1;
    public const int SetupFailed = 2;

    private static readonly Option<double> DurationOption = new("--duration") { Description = "Seconds of load and faults.", DefaultValueFactory = _ => 60 };
    private static readonly Option<int> ClientsOption = new("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 4 };
    private static readonly Option<int?> SeedOption = new("--seed") { Description = "Seed of the fault schedule and the clients' choices; default: a new one, printed." };
    private static readonly Option<double> FaultIntervalOption = new("--fault-interval") { Description = "Mean seconds between fault events.", DefaultValueFactory = _ => 2 };
    private static readonly Option<double> MaxHoldOption = new("--max-fault-hold") { Description = "Longest downtime after a kill, or freeze, in seconds.", DefaultValueFactory = _ => 3 };
    private static readonly Option<double> DoubleFaultOption = new("--double-fault-probability") { Description = "Chance that a fault event hits two processes at once.", DefaultValueFactory = _ => 0.2 };
    private static readonly Option<double> TradeProbabilityOption = new("--trade-probability") { Description = "Chance of a trade after each lookup.", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<int> AttemptsOption = new("--trade-attempts") { Description = "Attempts of one trade with the same Idempotency-Key before its outcome is unknown.", DefaultValueFactory = _ => 3 };
    private static readonly Option<double> TimeoutOption = new("--request-timeout") { Description = "Per-request timeout, in seconds.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> ThinkOption = new("--think-ms") { Description = "Longest random pause between a client's iterations, in milliseconds.", DefaultValueFactory = _ => 5 };
    private static readonly Option<double> SettleOption = new("--settle-timeout") { Description = "Seconds the cluster may take to become ready and quiet after the load.", DefaultValueFactory = _ => 60 };
    private static readonly Option<double> CacheTtlOption = new("--cache-ttl") { Description = "The front-end's cache TTL in seconds: set on a started cluster, and the longest a lookup may lag the catalog.", DefaultValueFactory = _ => 5 };
    private static readonly Option<string?> FrontEndUrlOption = new("--frontend-url") { Description = "Check a running cluster instead of starting one (no fault injection); needs --catalog-url and --replica-urls too." };
    private static readonly Option<string?> CatalogUrlOption = new("--catalog-url") { Description = "The running cluster's catalog." };
    private static readonly Option<string?> ReplicaUrlsOption = new("--replica-urls") { Description = "The running cluster's order replicas, comma-separated, in id order." };
    private static readonly Option<string?> DataDirOption = new("--data-dir") { Description = "Data root of the started cluster (wiped first); default: a temporary directory, deleted afterwards." };
    private static readonly Option<string?> ServiceLogOption = new("--service-log") { Description = "Append the started services' output to this file, each line stamped with the UTC time." };
    private static readonly Option<bool> HostsOption = new("--hosts") { Description = "Run each service on a host of its own (a Linux network namespace; needs root, ip and nftables): partition and slow faults need it." };
    private static readonly Option<int> FrontEndsOption = new("--frontends") { Description = "Front-ends of the started cluster; the clients spread over them.", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> FaultsOption = new("--faults") { Description = "Fault kinds, comma-separated: kill, pause, partition, slow.", DefaultValueFactory = _ => "kill,pause" };
    private static readonly Option<string?> JsonOption = new("--json") { Description = "Also write the summary as JSON to this file." };

    public static Command Create()
    {
        var command = new Command("chaos", "Load a cluster while killing and freezing its processes at random, then check that no acknowledged order was lost or doubled and that every service agrees.");
        foreach (var option in AllOptions())
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (options, errors) = Bind(parseResult);
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return SetupFailed;
            }

            return await RunAndReportAsync(options, StockNetExecutable.FromCurrentProcess(), AnsiConsole.Console, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs, renders the summary, writes the JSON if asked, and turns the verdict into an exit code.</summary>
    public static async Task<int> RunAndReportAsync(ChaosOptions options, StockNetExecutable executable, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ChaosSummary summary;
        try
        {
            summary = await ChaosRunner.RunAsync(options, executable, line => console.MarkupLine(Markup.Escape(line)), cancellationToken);
        }
        catch (ChaosSetupException ex)
        {
            console.MarkupLine("[red]" + Markup.Escape(ex.Message) + "[/]");
            return SetupFailed;
        }

        ChaosReport.Render(summary, console);
        if (options.JsonPath is { } path)
        {
            await ChaosReport.WriteJsonAsync(summary, path, cancellationToken);
        }

        try
        {
            TimelinePlot.Save(summary, summary.Timeline, options.TimelinePath);
            console.MarkupLine(Markup.Escape("The timeline (requests, p99, every fault and election): " + options.TimelinePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The verdict stands without the picture.
            console.MarkupLine(Markup.Escape($"timeline.png was not written: {ex.Message}"));
        }

        return summary.Passed ? 0 : Violated;
    }

    /// <summary>Turns parsed flags into options, reporting every bad value at once.</summary>
    public static (ChaosOptions? Options, IReadOnlyList<string> Errors) Bind(ParseResult parseResult)
    {
        var errors = parseResult.Errors.Select(error => error.Message).ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var options = new ChaosOptions
        {
            Duration = Seconds(parseResult, DurationOption, errors),
            Clients = Positive(parseResult, ClientsOption, errors),
            Seed = parseResult.GetValue(SeedOption) ?? Random.Shared.Next(),
            FaultInterval = Seconds(parseResult, FaultIntervalOption, errors),
            MaxFaultHold = Seconds(parseResult, MaxHoldOption, errors),
            DoubleFaultProbability = Probability(parseResult, DoubleFaultOption, errors),
            TradeProbability = Probability(parseResult, TradeProbabilityOption, errors),
            TradeAttempts = Positive(parseResult, AttemptsOption, errors),
            RequestTimeout = Seconds(parseResult, TimeoutOption, errors),
            MaxThinkTime = TimeSpan.FromMilliseconds(Math.Max(0, parseResult.GetValue(ThinkOption))),
            SettleTimeout = Seconds(parseResult, SettleOption, errors),
            CacheTtl = Seconds(parseResult, CacheTtlOption, errors),
            Targets = BindTargets(parseResult, errors),
            DataRoot = parseResult.GetValue(DataDirOption),
            ServiceLogPath = parseResult.GetValue(ServiceLogOption),
            Hosts = parseResult.GetValue(HostsOption),
            FrontEnds = Positive(parseResult, FrontEndsOption, errors),
            Faults = BindFaults(parseResult, errors),
            JsonPath = parseResult.GetValue(JsonOption),
        };
        if (!options.Hosts && options.Faults.Any(kind => kind is FaultKind.Partition or FaultKind.Slow))
        {
            errors.Add("--faults partition and slow cut and slow links between hosts: add --hosts.");
        }

        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    private static List<FaultKind> BindFaults(ParseResult parseResult, List<string> errors)
    {
        var kinds = new List<FaultKind>();
        foreach (var name in parseResult.GetRequiredValue(FaultsOption).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Enum.TryParse<FaultKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind))
            {
                kinds.Add(kind);
            }
            else
            {
                errors.Add($"--faults: '{name}' is not one of kill, pause, partition, slow.");
            }
        }

        if (kinds.Count == 0)
        {
            errors.Add("--faults: name at least one kind.");
        }

        return [.. kinds.Distinct()];
    }

    private static IEnumerable<Option> AllOptions() =>
    [
        DurationOption, ClientsOption, SeedOption, FaultIntervalOption, MaxHoldOption, DoubleFaultOption, TradeProbabilityOption, AttemptsOption,
        TimeoutOption, ThinkOption, SettleOption, CacheTtlOption, FrontEndUrlOption, CatalogUrlOption, ReplicaUrlsOption, DataDirOption, ServiceLogOption, JsonOption,
        HostsOption, FrontEndsOption, FaultsOption,
    ];

    private static ChaosTargets? BindTargets(ParseResult parseResult, List<string> errors)
    {
        var frontEnd = parseResult.GetValue(FrontEndUrlOption);
        var catalog = parseResult.GetValue(CatalogUrlOption);
        var replicas = parseResult.GetValue(ReplicaUrlsOption);
        if (frontEnd is null && catalog is null && replicas is null)
        {
            return null;
        }

        if (frontEnd is null || catalog is null || replicas is null)
        {
            errors.Add("--frontend-url, --catalog-url and --replica-urls go together: give all three, or none to start a cluster.");
            return null;
        }

        var replicaUrls = replicas.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(text => Url("--replica-urls", text, errors)).OfType<Uri>().ToList();
        var frontEndUrl = Url("--frontend-url", frontEnd, errors);
        var catalogUrl = Url("--catalog-url", catalog, errors);
        return frontEndUrl is null || catalogUrl is null || replicaUrls.Count == 0 ? null : new ChaosTargets(frontEndUrl, catalogUrl, replicaUrls);
    }

    private static Uri? Url(string flag, string text, List<string> errors)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        errors.Add($"{flag}: '{text}' is not an absolute http:// or https:// URL.");
        return null;
    }

    private static TimeSpan Seconds(ParseResult parseResult, Option<double> option, List<string> errors)
    {
        var value = parseResult.GetValue(option);
        if (value > 0 && value <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(value);
        }

        errors.Add($"{option.Name}: {value.ToString(CultureInfo.InvariantCulture)} must be a positive number of seconds.");
        return TimeSpan.FromSeconds(1);
    }

    private static int Positive(ParseResult parseResult, Option<int> option, List<string> errors)
    {
        var value = parseResult.GetValue(option);
        if (value < 1)
        {
            errors.Add($"{option.Name}: {value.ToString(CultureInfo.InvariantCulture)} must be 1 or more.");
        }

        return value;
    }

    private static double Probability(ParseResult parseResult, Option<double> option, List<string> errors)
    {
        var value = parseResult.GetValue(option);
        if (value is < 0 or > 1 || double.IsNaN(value))
        {
            errors.Add($"{option.Name}: {value.ToString(CultureInfo.InvariantCulture)} must be from 0 to 1.");
        }

        return value;
    }
}
