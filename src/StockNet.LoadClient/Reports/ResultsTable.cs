using System.Globalization;
using Spectre.Console;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Reports;

/// <summary>The end-of-run tables: latency per request type per run, then verification per run.</summary>
public static class ResultsTable
{
    public static void Write(IAnsiConsole console, LoadReport report)
    {
        console.Write(LatencyTable(report));
        console.Write(VerificationTable(report));
        var verdict = report.VerificationFailures == 0
            ? "[green]Verification passed[/]: every placed order was found as placed."
            : $"[red]Verification failed[/]: {report.VerificationFailures} order(s) missing or wrong.";
        console.MarkupLine(verdict);
        foreach (var failure in report.Runs.SelectMany(run => run.Verification.FirstFailures).Take(10))
        {
            console.MarkupLineInterpolated($"  [red]{failure}[/]");
        }
    }

    private static Table LatencyTable(LoadReport report)
    {
        var table = new Table().Title("Latency (ms) per request type").RoundedBorder();
        foreach (var header in new[] { "cache", "p", "request", "count", "errors", "mean", "p50", "p95", "p99", "p99.9", "max" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var run in report.Runs)
        {
            foreach (var kind in RequestKinds.All)
            {
                var s = run.For(kind);
                if (s.Count == 0 && s.Errors == 0)
                {
                    // No trades at p = 0, hence no order queries: an empty row says nothing.
                    continue;
                }

                table.AddRow(
                    run.Cache, ProbabilityList.Format(run.P), RequestKinds.Label(kind), Count(s.Count), s.Errors == 0 ? "0" : $"[red]{s.Errors}[/]",
                    Ms(s.MeanMs), Ms(s.P50Ms), Ms(s.P95Ms), Ms(s.P99Ms), Ms(s.P999Ms), Ms(s.MaxMs));
            }
        }

        return table;
    }

    private static Table VerificationTable(LoadReport report)
    {
        // Short headers so that the table fits an 80-column terminal: hits are cache hits, refused are buys
        // refused for lack of stock, wrong are mismatched replies, s the run's seconds.
        var table = new Table().Title("Orders and verification").RoundedBorder();
        foreach (var header in new[] { "cache", "p", "iter", "hits", "orders", "refused", "verified", "wrong", "missing", "unverif.", "s" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var run in report.Runs)
        {
            var v = run.Verification;
            table.AddRow(
                run.Cache, ProbabilityList.Format(run.P), Count(run.IterationsDone), Count(run.CacheHits), Count(run.OrdersPlaced), Count(run.RefusedBuys),
                Count(v.Matched), Bad(v.Mismatched), Bad(v.Missing), Bad(v.Unverified), run.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bad(int value) => value == 0 ? "0" : $"[red]{value}[/]";

    private static string Ms(double value) => value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);
}
