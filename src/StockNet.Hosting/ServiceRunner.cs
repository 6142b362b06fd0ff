using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace StockNet.Hosting;

/// <summary>
/// Runs a service and turns start-up failures into exit code 2, so that a supervisor or a test fixture
/// sees a wrong configuration or a taken port at once instead of a process that exited "successfully".
/// </summary>
public static class ServiceRunner
{
    public const int StartupFailed = 2;

    public static async Task<int> RunAsync(Func<WebApplication> build, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var app = build();
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Invalid configuration:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync("  " + failure);
            }

            return StartupFailed;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync("Could not start: " + ex.Message);
            return StartupFailed;
        }
    }
}
