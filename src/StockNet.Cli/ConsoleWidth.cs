using Spectre.Console;

namespace StockNet.Cli;

/// <summary>
/// Redirected output (CI logs, files, a pipe) gets Spectre's default width of 80, which wraps every table row and
/// address; widen it so the tables stay one line per row. A terminal keeps its own width. Program.cs applies it once
/// to the console every command writes to (status, load, bench, chaos), before any command runs.
/// </summary>
internal static class ConsoleWidth
{
    public const int Minimum = 140;

    public static void EnsureWideWhenRedirected(IAnsiConsole console)
    {
        if (Console.IsOutputRedirected && console.Profile.Width < Minimum)
        {
            console.Profile.Width = Minimum;
        }
    }
}
