using System.CommandLine;
using System.Globalization;

namespace StockNet.LoadClient;

/// <summary>The <c>stocknet load</c> command: its flags, their validation, and the hand-over to <see cref="LoadRunner"/>.</summary>
public static class LoadCommand
{
    private static readonly Option<string?> UrlOption = new("--url")
    {
        Description = "Base URL of a running front-end, such as http://127.0.0.1:9001. Without it, a cluster is started for each cache setting.",
    };

    private static readonly Option<string?> CacheOption = new Option<string?>("--cache")
    {
        Description = "on, off or both (the sweep with the cache on, then off); default both. With --url only a label: the front-end's own setting applies.",
    }.AcceptOnlyFromAmong("on", "off", "both");

    private static readonly Option<int> ClientsOption = new("--clients")
    {
        Description = "Concurrent client sessions.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<int> IterationsOption = new("--iterations")
    {
        Description = "Iterations (lookup, then a trade with probability p) per session.",
        DefaultValueFactory = _ => 600,
    };

    private static readonly Option<string> ProbabilitiesOption = new("--p")
    {
        Description = "Comma-separated trade probabilities to sweep.",
        DefaultValueFactory = _ => "0,0.2,0.4,0.6,0.8",
    };

    private static readonly Option<int> MaxQuantityOption = new("--max-quantity")
    {
        Description = "Each trade's quantity is random from 1 to this.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<int> ThinkOption = new("--think-ms")
    {
        Description = "Maximum random think time between iterations, in milliseconds (0: none).",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<int?> SeedOption = new("--seed")
    {
        Description = "Random seed; the same seed repeats the same requests. Default: a new one, written to results.json.",
    };

    private static readonly Option<double> DurationOption = new("--duration")
    {
        Description = "Time limit of each run (one cache setting and one p), in seconds; sessions then stop and verify.",
        DefaultValueFactory = _ => 120,
    };

    private static readonly Option<double> TimeoutOption = new("--timeout")
    {
        Description = "Per-request timeout, in seconds.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<string> StocksOption = new("--stocks")
    {
        Description = "Comma-separated stock names to pick from.",
        DefaultValueFactory = _ => string.Join(',', LoadOptions.DefaultStocks),
    };

    private static readonly Option<int> CacheSizeOption = new("--cache-size")
    {
        Description = "Front-end cache capacity of the cluster this command starts.",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<string?> OutOption = new("--out")
    {
        Description = "Output folder for results.json, samples.csv and the plots. Default: ./load-results/<UTC timestamp>.",
    };

    private static readonly Option<bool> NoProgressOption = new("--no-progress")
    {
        Description = "No live progress display (it is also off when output is redirected).",
    };

    public static Command Create()
    {
        var command = new Command("load", "Simulate client sessions against the front-end, sweep the trade probability, verify every order and plot latencies.");
        foreach (var option in AllOptions())
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (options, errors) = Bind(parseResult, TimeProvider.System);
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return ExitCodes.BadOptions;
            }

            return await LoadRunner.RunAndReportAsync(options, Spectre.Console.AnsiConsole.Console, cancellationToken);
        });
        return command;
    }

    /// <summary>Turns parsed flags into options, reporting every bad value at once.</summary>
    public static (LoadOptions? Options, IReadOnlyList<string> Errors) Bind(ParseResult parseResult, TimeProvider timeProvider)
    {
        var errors = parseResult.Errors.Select(error => error.Message).ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (!ProbabilityList.TryParse(parseResult.GetValue(ProbabilitiesOption)!, out var probabilities, out var probabilityErrors))
        {
            errors.AddRange(probabilityErrors);

            // Reported already: keep Validate from adding "needs at least one" on top.
            probabilities = ProbabilityList.Default;
        }

        var urlText = parseResult.GetValue(UrlOption);
        Uri? url = null;
        if (urlText is not null && !(Uri.TryCreate(urlText, UriKind.Absolute, out url) && url.Scheme is "http" or "https"))
        {
            errors.Add($"--url: '{urlText}' is not an absolute http:// or https:// URL.");
        }

        var cache = parseResult.GetValue(CacheOption) switch
        {
            "on" => CacheMode.On,
            "off" => CacheMode.Off,
            "both" => CacheMode.Both,
            _ => url is null ? CacheMode.Both : (CacheMode?)null,
        };
        var stocks = (parseResult.GetValue(StocksOption) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var options = new LoadOptions
        {
            Url = url,
            Cache = cache,
            Clients = parseResult.GetValue(ClientsOption),
            Iterations = parseResult.GetValue(IterationsOption),
            Probabilities = probabilities,
            MaxQuantity = parseResult.GetValue(MaxQuantityOption),
            MaxThinkTime = TimeSpan.FromMilliseconds(parseResult.GetValue(ThinkOption)),
            Seed = parseResult.GetValue(SeedOption) ?? Random.Shared.Next(),
            Duration = TimeSpan.FromSeconds(parseResult.GetValue(DurationOption)),
            Timeout = TimeSpan.FromSeconds(parseResult.GetValue(TimeoutOption)),
            Stocks = stocks,
            CacheSize = parseResult.GetValue(CacheSizeOption),
            OutputDirectory = parseResult.GetValue(OutOption) ?? DefaultOutputDirectory(timeProvider),
            ShowProgress = !parseResult.GetValue(NoProgressOption),
        };
        errors.AddRange(Validate(options));
        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    /// <summary>Every problem with the options, not just the first.</summary>
    public static IEnumerable<string> Validate(LoadOptions options)
    {
        if (options.Url is not null && options.Cache == CacheMode.Both)
        {
            yield return "--cache both needs the cluster this command starts itself; with --url, say --cache on or --cache off (the front-end's own setting).";
        }

        foreach (var error in Positive(("--clients", options.Clients), ("--iterations", options.Iterations), ("--max-quantity", options.MaxQuantity), ("--cache-size", options.CacheSize)))
        {
            yield return error;
        }

        if (options.MaxThinkTime < TimeSpan.Zero)
        {
            yield return "--think-ms must be 0 or more.";
        }

        if (options.Duration <= TimeSpan.Zero || options.Timeout <= TimeSpan.Zero)
        {
            yield return "--duration and --timeout must be more than 0 seconds.";
        }

        if (options.Probabilities.Count == 0)
        {
            yield return "--p needs at least one probability.";
        }

        if (options.Stocks.Count == 0)
        {
            yield return "--stocks needs at least one stock name.";
        }

        foreach (var name in options.Stocks.Where(name => !Contracts.StockNames.IsValid(name)))
        {
            yield return $"--stocks: '{name}' is not a valid stock name.";
        }
    }

    private static IEnumerable<string> Positive(params (string Flag, int Value)[] values) =>
        values.Where(v => v.Value < 1).Select(v => $"{v.Flag} must be at least 1, not {v.Value}.");

    private static string DefaultOutputDirectory(TimeProvider timeProvider) =>
        Path.Combine("load-results", timeProvider.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    private static IEnumerable<Option> AllOptions() =>
    [
        UrlOption, CacheOption, ClientsOption, IterationsOption, ProbabilitiesOption, MaxQuantityOption, ThinkOption, SeedOption,
        DurationOption, TimeoutOption, StocksOption, CacheSizeOption, OutOption, NoProgressOption,
    ];
}
