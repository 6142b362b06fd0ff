using System.CommandLine;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet health URL</c>: exits 0 when the service at URL reports ready, 1 otherwise. It is the container
/// image's HEALTHCHECK, so the image needs no curl: one request, one short timeout, no retry (the container
/// engine repeats the check on its own schedule).
/// </summary>
internal static class HealthCommand
{
    /// <summary>Where the URL comes from when none is given: the container sets it per service.</summary>
    public const string UrlVariable = "STOCKNET_HEALTH_URL";

    public static Command Create()
    {
        var url = new Argument<string?>("url")
        {
            Description = $"The service's base URL, such as http://127.0.0.1:8997 (default ${UrlVariable}).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer.", DefaultValueFactory = _ => 2 };
        var command = new Command("health", "Check that a Stock Net service is ready (GET " + Routes.HealthReady + "): exit 0 if so, 1 if not, 2 without a valid URL.") { url, timeout };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var baseUrl = parseResult.GetValue(url) ?? Environment.GetEnvironmentVariable(UrlVariable);
            if (!HttpUrl.TryParse(baseUrl, out var uri))
            {
                await Console.Error.WriteLineAsync($"Give the service's base URL (http://host:port) as the argument or in {UrlVariable}.");
                return 2;
            }

            return await CheckAsync(uri, TimeSpan.FromSeconds(parseResult.GetValue(timeout)), cancellationToken);
        });
        return command;
    }

    private static async Task<int> CheckAsync(Uri service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create();
        var readiness = await clients.Health(timeout).CheckReadyAsync(service, cancellationToken);
        var ready = new Uri(service, Routes.HealthReady);
        Console.WriteLine(readiness.Status == 0 ? $"{ready}: no answer ({readiness.Detail})" : $"{ready}: {readiness.Status} {readiness.Detail}");
        return readiness.IsReady ? 0 : 1;
    }
}
