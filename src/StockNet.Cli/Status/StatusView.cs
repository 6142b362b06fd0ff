using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using StockNet.Cli.Commands;

namespace StockNet.Cli.Status;

/// <summary>
/// The cluster as one screen: each service up or down and ready, each replica's role, epoch, log head and lag,
/// each front-end's cache and traffic, and the totals across front-ends when there are several.
/// </summary>
internal static class StatusView
{
    public static IRenderable Render(IReadOnlyList<FrontEndReading> readings)
    {
        var rows = new List<IRenderable> { Services(readings), FrontEnds(readings) };
        if (readings.FirstOrDefault(r => r.Status is not null)?.Status is { Events.Length: > 0 } status)
        {
            rows.Add(new Markup("[grey]last event:[/] " + Markup.Escape($"{status.Events[^1].At.ToLocalTime():HH:mm:ss} {status.Events[^1].Message}")));
        }

        var verdict = Markup.Escape(Verdict(readings));
        rows.Add(new Markup(HasLeader(readings) ? $"[green]{verdict}[/]" : $"[red bold]{verdict}[/]"));
        return new Rows(rows);
    }

    /// <summary>
    /// The last line: whether the cluster has a leader, or, when no front-end answered, that and what to do about it
    /// (a newcomer's first <c>status</c> meets a cluster that is not running, on other ports, or a missing token).
    /// </summary>
    public static string Verdict(IReadOnlyList<FrontEndReading> readings)
    {
        if (HasLeader(readings))
        {
            return "The cluster has a leader.";
        }

        if (readings.Any(r => r.Status is not null))
        {
            return "The cluster has no order leader.";
        }

        var why = string.Join(", ", readings.Select(r => $"{r.Url.Authority}: {r.Error}"));
        var hint = readings.Any(r => r.Error == "HTTP 401")
            ? $"Give the read-only token with --token or ${StatusCommand.TokenVariable}, or run from the directory that holds data/{MetricsTokenFile.FileName}."
            : "Is the cluster running? Start it with 'bash scripts/run-local.sh', or give a running front-end's address with --url (up --free-ports prints it).";
        return $"No front-end answered ({why}). {hint}";
    }

    /// <summary>True when any front-end that answered knows a leader.</summary>
    public static bool HasLeader(IReadOnlyList<FrontEndReading> readings) => readings.Any(r => r.Status?.LeaderId is not null);

    private static Table Services(IReadOnlyList<FrontEndReading> readings)
    {
        var table = new Table().Title("Services").AddColumns("service", "address", "state", "role", "epoch", "log head", "lag");
        // Replicas and the catalog are shared: the first front-end that answered describes them.
        var status = readings.FirstOrDefault(r => r.Status is not null)?.Status;
        if (status is not null)
        {
            table.AddRow("catalog", Address(status.Catalog.Url), State(status.Catalog.Up, status.Catalog.Ready), "", "", "", "");
            foreach (var replica in status.Replicas)
            {
                table.AddRow(
                    $"order {replica.Id}", Address(replica.Url), State(replica.Up, replica.Ready), Role(replica.Role),
                    Number(replica.Epoch), Number(replica.MaxTransaction), Number(replica.Lag));
            }
        }

        foreach (var reading in readings)
        {
            table.AddRow("front-end", reading.Url.Authority, reading.Status is null ? $"[red]down[/] ({Markup.Escape(reading.Error ?? "")})" : State(true, true),
                reading.Status?.LeaderId is { } leader ? $"leader: order {leader}" : "[red]no leader[/]", Number(reading.Status?.Epoch), "", "");
        }

        return table;
    }

    private static Table FrontEnds(IReadOnlyList<FrontEndReading> readings)
    {
        var table = new Table().Title($"Front-ends (last {TrafficWindowSeconds(readings)} s)")
            .AddColumns("front-end", "cache", "hit rate", "trades/s", "trade p50/p99 ms", "lookups/s", "lookup p50/p99 ms");
        foreach (var reading in readings.Where(r => r.Status is not null))
        {
            var s = reading.Status!;
            table.AddRow(reading.Url.Authority, s.Cache.Enabled ? $"{s.Cache.Size}/{s.Cache.Capacity}" : "off", HitRate(s.Cache.Hits, s.Cache.Misses),
                Rate(s.Traffic.TradesPerSecond), Latency(s.Traffic.TradeP50Ms, s.Traffic.TradeP99Ms), Rate(s.Traffic.LookupsPerSecond), Latency(s.Traffic.LookupP50Ms, s.Traffic.LookupP99Ms));
        }

        var answered = readings.Where(r => r.Status is not null).Select(r => r.Status!).ToArray();
        if (answered.Length > 1)
        {
            // Percentiles do not add up; the worst front-end's stands for the cluster.
            table.AddRow("[bold]cluster[/]", "", HitRate(answered.Sum(s => s.Cache.Hits), answered.Sum(s => s.Cache.Misses)),
                Rate(answered.Sum(s => s.Traffic.TradesPerSecond)), "worst " + Latency(answered.Max(s => s.Traffic.TradeP50Ms), answered.Max(s => s.Traffic.TradeP99Ms)),
                Rate(answered.Sum(s => s.Traffic.LookupsPerSecond)), "worst " + Latency(answered.Max(s => s.Traffic.LookupP50Ms), answered.Max(s => s.Traffic.LookupP99Ms)));
        }

        return table;
    }

    private static string Address(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;

    private static double TrafficWindowSeconds(IReadOnlyList<FrontEndReading> readings) =>
        readings.FirstOrDefault(r => r.Status is not null)?.Status?.Traffic.WindowSeconds ?? 10;

    private static string State(bool up, bool ready) => !up ? "[red]down[/]" : ready ? "[green]ready[/]" : "[yellow]up, not ready[/]";

    private static string Role(string role) => role switch
    {
        "leader" => "[green bold]leader[/]",
        "down" => "[red]down[/]",
        "recovering" or "starting" => $"[yellow]{role}[/]",
        _ => role,
    };

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string HitRate(long hits, long misses) =>
        hits + misses == 0 ? "–" : (100.0 * hits / (hits + misses)).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Rate(double perSecond) => perSecond.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Latency(double p50, double p99) =>
        p50.ToString("0.00", CultureInfo.InvariantCulture) + " / " + p99.ToString("0.00", CultureInfo.InvariantCulture);
}
