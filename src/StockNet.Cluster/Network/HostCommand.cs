using System.Diagnostics;

namespace StockNet.Cluster.Network;

/// <summary>The network harness could not set up or change its hosts (not root, no <c>ip netns</c>, a tool missing).</summary>
public sealed class NetworkSetupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Runs one system tool (<c>ip</c>, <c>nft</c>, <c>tc</c>) to completion, with a deadline, and reports its output.</summary>
internal static class HostCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="file"/>; throws <see cref="NetworkSetupException"/> unless it exits with 0.</summary>
    public static async Task<string> RunAsync(string file, params IReadOnlyList<string> arguments)
    {
        var (code, output, error) = await TryRunAsync(file, arguments);
        return code == 0
            ? output
            : throw new NetworkSetupException($"'{file} {string.Join(' ', arguments)}' exited with {code}: {error.Trim()}");
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code (-1: it could not start), stdout and stderr.</summary>
    public static async Task<(int Code, string Output, string Error)> TryRunAsync(string file, params IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (-1, "", $"{file} could not start: {ex.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Deadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{file} did not finish within {Deadline.TotalSeconds:0} s");
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
