using System.CommandLine;
using System.Globalization;

namespace StockNet.Cli.Commands;

/// <summary>
/// What the three service commands share: the listen address, on/off switches, the hidden --parent-pid
/// that ties a child to its launcher, and passing unknown <c>--Section:Key=value</c> tokens to the service.
/// </summary>
internal static class ServiceCommand
{
    public const string Loopback = "127.0.0.1";

    public static readonly string DefaultReplicaUrls = string.Join(',', Enumerable.Range(1, 3).Select(id => Contracts.DefaultPorts.Loopback(Contracts.DefaultPorts.OrderReplica(id))));

    public static Option<string> Host() => new("--host")
    {
        Description = "The address to listen on.",
        DefaultValueFactory = _ => Loopback,
    };

    public static Option<string> Switch(string name, string description) => new Option<string>(name)
    {
        Description = description,
        DefaultValueFactory = _ => "on",
    }.AcceptOnlyFromAmong("on", "off");

    public static Option<int?> ParentPid() => new("--parent-pid")
    {
        Description = "Exit when this process is gone (set by 'stocknet up' and the test cluster).",
        Hidden = true,
    };

    /// <summary>A command whose unknown tokens are configuration arguments for the service rather than errors.</summary>
    public static Command Create(string name, string description, params Option[] options)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }

    public static string Urls(string host, int port) => $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static string Flag(string onOff) => onOff == "on" ? "true" : "false";

    public static string Setting(string key, string value) => $"--{key}={value}";

    /// <summary>Runs the service with <paramref name="arguments"/> plus the unmatched tokens, until it stops or the parent is gone.</summary>
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Option<int?> parentPid,
        List<string> arguments,
        Func<string[], CancellationToken, Task<int>> run,
        CancellationToken cancellationToken)
    {
        arguments.AddRange(parseResult.UnmatchedTokens);
        using var parentGone = ParentWatch.Start(parseResult.GetValue(parentPid), cancellationToken);
        return await run([.. arguments], parentGone.Token);
    }
}
