using System.Globalization;
using System.Text;
using Spectre.Console;

namespace StockNet.LoadClient.Bench;

/// <summary>The benchmark's results as a console table and as the Markdown table of docs/benchmarks.md.</summary>
public static class BenchTable
{
    private static readonly string[] Headers = ["scenario", "connections", "requests/s", "p50 (ms)", "p99 (ms)", "errors", "target", "met"];

    public static void Write(IAnsiConsole console, BenchReport report)
    {
        var table = new Table().Title("stocknet bench").RoundedBorder();
        foreach (var header in Headers)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var row in Rows(report))
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        console.Write(table);
        foreach (var line in EventLines(report).Concat(MemoryLines(report)).Concat(report.Notes))
        {
            console.WriteLine(line);
        }
    }

    public static string ToMarkdown(BenchReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {string.Join(" | ", Headers)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|{string.Concat(Headers.Select(_ => " --- |"))}");
        foreach (var row in Rows(report))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {string.Join(" | ", row)} |");
        }

        text.AppendLine();
        foreach (var line in EventLines(report).Concat(MemoryLines(report)).Concat(report.Notes))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {report.StartedAt:yyyy-MM-dd HH:mm} UTC on {report.Machine}; {report.DurationSeconds:0.#} s per row after a {report.WarmupSeconds:0.#} s warm-up.");
        return text.ToString();
    }

    private static IEnumerable<string[]> Rows(BenchReport report)
    {
        var highest = report.Throughput.Select(r => r.Connections).DefaultIfEmpty(1).Max();
        foreach (var result in report.Throughput)
        {
            var (target, met) = BenchTargets.For(result, highest);
            yield return
            [
                result.Scenario,
                Number(result.Connections),
                result.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                result.P50Ms.ToString("0.000", CultureInfo.InvariantCulture),
                result.P99Ms.ToString("0.000", CultureInfo.InvariantCulture),
                Number(result.Errors),
                target,
                Met(met),
            ];
        }
    }

    private static IEnumerable<string> EventLines(BenchReport report)
    {
        if (report.Failover is { } f)
        {
            var (target, met) = BenchTargets.For(f);
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"failover: kill -9 of leader order-{f.KilledReplica}, first successful trade {f.TimeToFirstSuccessMs:0} ms later, {f.ClientErrors} client errors, new leader order-{f.NewLeader} ({f.TradesBefore} trades before, {f.TradesAfter} after); target {target}: {Met(met)}");
        }

        if (report.Recovery is { } r)
        {
            var (target, met) = BenchTargets.For(r);
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"recovery: order-{r.Replica} missed {r.OrdersPlaced} orders, ready {r.ReadyAfterMs:0} ms after its start, holds {r.OrdersHeld} of them; target {target}: {Met(met)}");
        }
    }

    private static IEnumerable<string> MemoryLines(BenchReport report)
    {
        if (report.PeakResidentMb.Count == 0)
        {
            yield break;
        }

        var peaks = string.Join(", ", report.PeakResidentMb.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0} MB")));
        var met = report.PeakResidentMb.Values.All(mb => mb <= ResidentMemory.TargetMegabytes);
        yield return $"peak resident memory after the throughput scenarios: {peaks}; target <= {ResidentMemory.TargetMegabytes:0} MB each: {Met(met)}";
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Met(bool? met) => met switch
    {
        true => "yes",
        false => "NO",
        null => string.Empty,
    };
}
