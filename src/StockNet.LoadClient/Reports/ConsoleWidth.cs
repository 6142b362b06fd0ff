using Spectre.Console;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// Redirected output (CI logs, files) gets Spectre's default width of 80, which wraps every table row;
/// widen it so the tables stay one line per row. A terminal keeps its own width.
/// </summary>
public static class ConsoleWidth
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
