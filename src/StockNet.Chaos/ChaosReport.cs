using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace StockNet.Chaos;

/// <summary>Shows a <see cref="ChaosSummary"/> as tables, and writes it as JSON.</summary>
internal static class ChaosReport
{
    private const int ViolationsShown = 10;

    /// <summary>Printed under the totals: what the labels that are not self-evident count.</summary>
    public const string TotalsLegend =
        "Unknown outcomes: trades whose every attempt went unanswered (timeout, 5xx), so the client cannot know if they executed; " +
        "(executed): how many of those the replicas' logs hold. Trades rejected: refused with a 4xx on the first attempt (not enough stock), not an error. " +
        "Retries: attempts after the first, with the same Idempotency-Key. Lost: acknowledged orders missing from a replica; " +
        "duplicated: one key executed twice. Longest unavailability: the longest time one client went from a failure to its next success, " +
        "and when (seconds into the load). Stale lookups: front-end answers that differed from the catalog right after settling (allowed within the cache TTL).";

    /// <summary>Printed under the faults table.</summary>
    public const string FaultsLegend =
        "Kill: SIGKILL, restarted after the hold. Pause: SIGSTOP, resumed (SIGCONT) after the hold. " +
        "Recovery problems: faults after which the service could not be restarted or resumed as planned (details in --json). " +
        "skipped: planned faults not injected because every candidate service was already under a fault.";

    public static void Render(ChaosSummary summary, IAnsiConsole console)
    {
        console.Write(Totals(summary));
        Legend(console, TotalsLegend);
        if (summary.FaultsInjected)
        {
            console.Write(Faults(summary));
            Legend(console, FaultsLegend);
        }

        if (summary.Violations.Count > 0)
        {
            console.Write(Violations(summary));
        }

        if (summary.LongestUnavailability is { } outage)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"The longest unavailability: client {outage.Client} at {outage.FrontEnd}, {outage.Start.TotalSeconds:0.0} s to {(outage.Start + outage.Length).TotalSeconds:0.0} s, {outage.FailedLookups} lookups and {outage.FailedTrades} trades failed; faults under way:")));
            FaultLines(console, summary.FaultsDuringLongestUnavailability);
        }

        if (summary.FirstLossAtSeconds is { } firstLoss)
        {
            console.MarkupLine(Markup.Escape($"The first lost order was acknowledged at {firstLoss:0.0} s; faults from 10 s before to 2 s after:"));
            FaultLines(console, summary.FaultsAroundFirstLoss);
        }

        console.MarkupLine(summary.Passed
            ? "[green]PASSED[/]: every invariant held."
            : $"[red]FAILED[/]: {summary.Violations.Count} violation(s), {summary.Lost} lost, {summary.Duplicated} duplicated (seed {summary.Seed}).");
    }

    public static async Task WriteJsonAsync(ChaosSummary summary, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, summary, ChaosJsonContext.Default.ChaosSummary, cancellationToken);
    }

    private static Table Totals(ChaosSummary summary)
    {
        var table = new Table().Title($"stocknet chaos, seed {summary.Seed}").AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
        Row(table, "Duration (s)", summary.DurationSeconds.ToString("0.#", CultureInfo.InvariantCulture));
        Row(table, "Clients", Number(summary.Clients));
        Row(table, "Front-ends", Number(summary.FrontEnds) + (summary.Hosts ? ", each service on its own host" : ", all on loopback"));
        Row(table, "Faults injected", summary.FaultsInjected ? Number(summary.Faults.Count) : "none (external cluster)");
        Row(table, "Orders acknowledged", Number(summary.Acknowledged));
        Row(table, "Unknown outcomes (executed)", $"{Number(summary.UnknownOutcomes)} ({Number(summary.UnknownExecuted)})");
        Row(table, "Trades rejected (4xx)", Number(summary.TradesRejected));
        Row(table, "Retries", Number(summary.Retries));
        Row(table, "Lookups ok / failed", $"{Number(summary.LookupsOk)} / {Number(summary.LookupsFailed)}");
        Row(table, "Lost", Number(summary.Lost));
        Row(table, "Duplicated", Number(summary.Duplicated));
        Row(table, "Invariant violations", Number(summary.Violations.Count));
        Row(table, "Longest unavailability (s)", string.Create(CultureInfo.InvariantCulture, $"{summary.LongestUnavailabilitySeconds:0.000} from {summary.LongestUnavailabilityStartSeconds:0.0}"));
        Row(table, "Elections (most in any 10 s)", $"{Number(summary.ElectionsAtSeconds.Count)} ({Number(summary.MostElectionsIn10Seconds)})");
        Row(table, "Last heal at (s)", summary.LastHealSeconds is { } heal ? heal.ToString("0.0", CultureInfo.InvariantCulture) : "no fault");
        Row(table, "Settled in (s)", summary.Settled ? summary.SettleSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "did not settle");
        Row(table, "Stale lookups at first look", Number(summary.StaleAtFirstLook));
        return table;
    }

    private static Table Faults(ChaosSummary summary)
    {
        var services = summary.Faults.Select(fault => fault.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new Table().Title("Faults by service").AddColumn("Service");
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            table.AddColumn(new TableColumn(kind.ToString()).RightAligned());
        }

        table.AddColumn(new TableColumn("Recovery problems").RightAligned());
        foreach (var service in services)
        {
            var faults = summary.Faults.Where(fault => fault.Service == service).ToList();
            table.AddRow([Markup.Escape(service), .. Enum.GetValues<FaultKind>().Select(kind => Number(faults.Count(fault => fault.Kind == kind))), Number(faults.Count(fault => fault.Problem is not null))]);
        }

        table.AddRow(["total", .. Enum.GetValues<FaultKind>().Select(kind => Number(summary.FaultsOf(kind))), Number(summary.SkippedFaults) + " skipped"]);
        return table;
    }

    private static Table Violations(ChaosSummary summary)
    {
        var table = new Table().Title($"Violations (first {Math.Min(ViolationsShown, summary.Violations.Count)} of {summary.Violations.Count})").AddColumn("Invariant").AddColumn("Detail");
        foreach (var violation in summary.Violations.Take(ViolationsShown))
        {
            table.AddRow(Markup.Escape(violation.Invariant), Markup.Escape(violation.Detail));
        }

        foreach (var (invariant, count) in summary.Violations.GroupBy(violation => violation.Invariant).Select(group => (group.Key, group.Count())))
        {
            table.AddRow(Markup.Escape(invariant), $"{Number(count)} in all");
        }

        return table;
    }

    private static void FaultLines(IAnsiConsole console, IReadOnlyList<InjectedFault> faults)
    {
        foreach (var fault in faults)
        {
            var ready = fault.ReadyAfter is { } after ? string.Create(CultureInfo.InvariantCulture, $", ready {after.TotalSeconds:0.0} s after its restart") : "";
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  {fault.At.TotalSeconds,6:0.0} s  {fault.Kind,-9} {fault.Service,-8} for {fault.Hold.TotalSeconds:0.0} s{ready}{(fault.Problem is null ? "" : " (" + fault.Problem + ")")}")));
        }
    }

    private static void Legend(IAnsiConsole console, string text) => console.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");

    private static void Row(Table table, string label, string value) => table.AddRow(Markup.Escape(label), Markup.Escape(value));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
