using System.CommandLine;
using Spectre.Console;
using StockNet.Cli.Status;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet status</c>: one table of the whole cluster, read from each front-end's <c>/status</c>; <c>--watch</c>
/// redraws it every second until Ctrl+C. Exits 0 with a leader, <see cref="NoLeader"/> without one, and
/// <see cref="Unreachable"/> when no front-end answered.
/// </summary>
internal static class StatusCommand
{
    public const int NoLeader = 3;
    public const int Unreachable = 2;

    /// <summary>The read-only token's environment variable, for scripts that should not put it on a command line.</summary>
    public const string TokenVariable = StockNet.Protocol.ReadOnlyToken.EnvironmentVariable;

    public static Command Create()
    {
        var urls = new Option<string[]>("--url")
        {
            Description = "A front-end's base URL; repeat it for several front-ends.",
            DefaultValueFactory = _ => [$"http://127.0.0.1:{DefaultPorts.FrontEnd}"],
            AllowMultipleArgumentsPerToken = true,
        };
        urls.Validators.Add(result =>
        {
            foreach (var url in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!HttpUrl.TryParse(url, out _))
                {
                    result.AddError(HttpUrl.Refusal(url));
                }
            }
        });
        var watch = new Option<bool>("--watch") { Description = "Redraw every second until Ctrl+C." };
        var token = new Option<string?>("--token") { Description = $"The read-only token (Metrics:Token); default ${TokenVariable}, else data/{MetricsTokenFile.FileName}." };
        var command = new Command("status", "Show the cluster: services, leader, replicas' log heads and lag, cache and traffic. Exits 0 with a leader, 3 without one, 2 when no front-end answers.") { urls, watch, token };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            [.. parseResult.GetRequiredValue(urls).Select(url => new Uri(url))], parseResult.GetValue(watch), parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable) ?? MetricsTokenFile.FromDefaultDataRoot(), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri[] urls, bool watch, string? token, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create();
        var client = clients.ReadOnly(token, FrontEndReading.Timeout);
        var readings = await FrontEndReading.ReadAllAsync(client, urls, cancellationToken);
        if (!watch)
        {
            AnsiConsole.Write(StatusView.Render(readings));
            return ExitCode(readings);
        }

        try
        {
            await AnsiConsole.Live(StatusView.Render(readings)).StartAsync(async live =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    readings = await FrontEndReading.ReadAllAsync(client, urls, cancellationToken);
                    live.UpdateTarget(StatusView.Render(readings));
                }
            });
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the last table stays on screen.
        }

        return ExitCode(readings);
    }

    private static int ExitCode(FrontEndReading[] readings) =>
        readings.All(r => r.Status is null) ? Unreachable : StatusView.HasLeader(readings) ? 0 : NoLeader;
}
