using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace StockNet.Hosting;

/// <summary>
/// Runs a service and turns every start-up failure (a wrong setting, a value that does not convert, a taken
/// port, a store that will not open) into exit code 2, so that a supervisor or a test fixture sees it at once
/// instead of a process that exited "successfully".
/// </summary>
public static class ServiceRunner
{
    public const int StartupFailed = 2;

    public static async Task<int> RunAsync(Func<WebApplication> build, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        try
        {
            app = build();
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ReportAsync(ex);
            return StartupFailed;
        }

        await using (app)
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }

        return 0;
    }

    private static async Task ReportAsync(Exception ex)
    {
        if (ex is OptionsValidationException validation)
        {
            await Console.Error.WriteLineAsync("Invalid configuration:");
            foreach (var failure in validation.Failures)
            {
                await Console.Error.WriteLineAsync("  " + failure);
            }

            return;
        }

        // Binding wraps the real cause (for example "abc" for an int), which is the useful sentence.
        await Console.Error.WriteLineAsync("Could not start: " + ex.Message);
        if (ex.InnerException is { } inner)
        {
            await Console.Error.WriteLineAsync("  " + inner.Message);
        }
    }
}
