using System.Globalization;
using System.Text;

namespace StockNet.LoadClient.Bench;

/// <summary>The history table (docs/benchmarks.md, "Cost of history"): every figure with the load average it was taken at.</summary>
public static class HistoryTable
{
    private const string Header =
        "| orders in history | fill (orders/s) | peak RSS of a replica (MB) | trades/s at 64 conn. (median of 3; N = 0 alternating) | GET /orders/{n} uniform p50 / p99 (ms) at 1 and at 64 conn. | plain restart ready (ms) | follower missed orders, ready (ms) | failover: first trade (ms), client errors |";

    public static string ToMarkdown(IReadOnlyList<HistoryResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(Header);
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var result in results)
        {
            text.AppendLine(Row(result));
        }

        text.AppendLine();
        text.AppendLine("Each figure is followed by the machine's 1-minute load average when it was taken (`load`).");
        return text.ToString();
    }

    public static string Row(HistoryResult r)
    {
        var trades = Format(r.TradesPerSecond, "N0") + (r.BaselineTradesPerSecond is { } baseline ? $" (N = 0: {Format(baseline, "N0")})" : string.Empty);
        var queries = string.Create(
            CultureInfo.InvariantCulture, $"{r.QueryAtOne.P50Ms:0.00} / {r.QueryAtOne.P99Ms:0.00} at 1; {r.QueryAt64.P50Ms:0.00} / {r.QueryAt64.P99Ms:0.00} at 64; {r.QueryErrors} errors, load {r.QueryLoad:0.0}");
        var recovery = Format(r.RecoveryReadyMs, "0") + (r.RecoveryHeldAll ? string.Empty : " (missing orders)");
        var failover = string.Create(CultureInfo.InvariantCulture, $"{Format(r.FailoverMs, "0")}, {r.FailoverErrors} errors");
        var fill = Format(r.FillPerSecond, "N0") + (r.DirectFill ? " rows/s written into each log before start, not through the API" : string.Empty);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {r.History:N0} | {fill} | {Format(r.PeakReplicaMb, "0")} | {trades} | {queries} | {Format(r.RestartReadyMs, "0")} | {recovery} | {failover} |");
    }

    private static string Format(Figure figure, string format) => double.IsNaN(figure.Value)
        ? string.Create(CultureInfo.InvariantCulture, $"- (load {figure.Load:0.0})")
        : string.Create(CultureInfo.InvariantCulture, $"{figure.Value.ToString(format, CultureInfo.InvariantCulture)} (load {figure.Load:0.0})");
}
