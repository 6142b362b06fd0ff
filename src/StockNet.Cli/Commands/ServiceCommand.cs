using System.CommandLine;
using System.Globalization;

namespace StockNet.Cli.Commands;

/// <summary>
/// What the three service commands share: the listen address, on/off switches, the hidden --parent-pid
/// that ties a child to its launcher, and passing extra <c>--Section:Key=value</c> settings to the service.
/// A flag becomes a setting only when given: the service's own defaults, its <c>Section__Key</c> variables and
/// the seed's variables (a container's configuration) decide everything the command line leaves out.
/// </summary>
internal static class ServiceCommand
{
    public const string Loopback = "127.0.0.1";

    private const string SettingsName = "settings";

    public static Option<string?> Host() => new("--host")
    {
        Description = "The address to listen on (default " + Loopback + ", or the seed's HOST variable; 0.0.0.0 for every interface).",
    };

    public static Option<int?> Port(string description) => new("--port") { Description = description };

    public static Option<string?> Switch(string name, string description) => new Option<string?>(name)
    {
        Description = description + " (default on)",
    }.AcceptOnlyFromAmong("on", "off");

    /// <summary>
    /// A duration in seconds, more than 0: the unit of every duration flag of stocknet (chaos --cache-ttl, load
    /// --duration). Configuration keys such as Cache:Ttl stay .NET TimeSpans (hh:mm:ss).
    /// </summary>
    public static Option<double?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds))
            {
                return seconds;
            }

            result.AddError($"{name} takes a number of seconds more than 0, such as 5 or 0.5, not '{text}'.");
            return null;
        },
    };

    /// <summary>Every service takes it: accept unsigned requests (beside the original services, which cannot sign).</summary>
    public const string InsecureOption = "--insecure";

    public static Option<int?> ParentPid() => new("--parent-pid")
    {
        Description = "Exit when this process is gone (set by 'stocknet up' and the test cluster).",
        Hidden = true,
    };

    /// <summary>
    /// A command whose unknown tokens are configuration settings for the service rather than errors. They are
    /// declared as an argument, so the usage line reads <c>[&lt;settings&gt;...]</c>: left to
    /// TreatUnmatchedTokensAsErrors = false, System.CommandLine prints an unbalanced <c>[[--] &lt;additional arguments&gt;...]]</c>.
    /// </summary>
    public static Command Create(string name, string description, params Option[] options)
    {
        var command = new Command(name, description)
        {
            new Argument<string[]>(SettingsName)
            {
                Description = "Extra configuration settings for the service, as --Section:Key=value (see the README's configuration table).",
                Arity = ArgumentArity.ZeroOrMore,
            },
        };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.Options.Add(new Option<bool>(InsecureOption)
        {
            Description = "Accept requests without the cluster credential on every route (logs a warning). Only beside services that cannot sign.",
        });
        return command;
    }

    /// <summary>Adds <c>--urls</c> when <c>--host</c> or <c>--port</c> was given, the other part taking its default.</summary>
    public static void AddListen(List<string> arguments, ParseResult parseResult, Option<string?> host, Option<int?> port, int defaultPort)
    {
        var givenHost = parseResult.GetValue(host);
        var givenPort = parseResult.GetValue(port);
        if (givenHost is not null || givenPort is not null)
        {
            arguments.AddRange(["--urls", Urls(givenHost ?? Loopback, givenPort ?? defaultPort)]);
        }
    }

    /// <summary>Adds <c>--key=value</c> when the option was given.</summary>
    public static void AddSetting(List<string> arguments, ParseResult parseResult, Option<string?> option, string key, Func<string, string>? format = null)
    {
        if (parseResult.GetValue(option) is { } value)
        {
            arguments.Add(Setting(key, format is null ? value : format(value)));
        }
    }

    /// <summary>Adds <c>--key=value</c> when the option was given.</summary>
    public static void AddSetting(List<string> arguments, ParseResult parseResult, Option<int?> option, string key)
    {
        if (parseResult.GetValue(option) is { } value)
        {
            arguments.Add(Setting(key, value.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public static string Urls(string host, int port) => $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static string Flag(string onOff) => onOff == "on" ? "true" : "false";

    public static string Setting(string key, string value) => $"--{key}={value}";

    /// <summary>Runs the service with <paramref name="arguments"/> plus the extra settings, until it stops or the parent is gone.</summary>
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Option<int?> parentPid,
        List<string> arguments,
        Func<string[], CancellationToken, Task<int>> run,
        CancellationToken cancellationToken)
    {
        if (parseResult.GetValue<bool>(InsecureOption))
        {
            arguments.Add(Setting("Cluster:Insecure", "true"));
        }

        arguments.AddRange(parseResult.GetValue<string[]>(SettingsName) ?? []);
        using var parentGone = ParentWatch.Start(parseResult.GetValue(parentPid), cancellationToken);
        return await run([.. arguments], parentGone.Token);
    }
}
