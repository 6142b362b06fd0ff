using System.Diagnostics;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>The result of one run of the built <c>stocknet</c> CLI.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs one short <c>stocknet</c> command (such as export) as a process, bounded in time.</summary>
public static class CliRunner
{
    /// <param name="environment">Variables to set for the child, or to remove (null value).</param>
    public static async Task<CliResult> RunAsync(
        IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = new Process { StartInfo = BuildPaths.StockNet.CreateStartInfo(arguments) };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                process.StartInfo.Environment.Remove(name);
            }
            else
            {
                process.StartInfo.Environment[name] = value;
            }
        }

        process.Start();
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"stocknet {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }
}
