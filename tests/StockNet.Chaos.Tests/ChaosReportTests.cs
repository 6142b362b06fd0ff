using Spectre.Console;
using StockNet.Chaos;

namespace StockNet.Chaos.Tests;

public sealed class ChaosReportTests
{
    [Fact]
    public void Render_RunWithFaults_ExplainsTheLabelsUnderEachTable()
    {
        var summary = Summary([new InjectedFault(TimeSpan.FromSeconds(3), FaultKind.Kill, "order-3", TimeSpan.FromSeconds(1))]);

        var text = Render(summary);

        Assert.Contains("Unknown outcomes (executed)", text, StringComparison.Ordinal);
        Assert.Contains("Unknown outcomes: trades whose every attempt went unanswered", text, StringComparison.Ordinal);
        Assert.Contains("(executed): how many of those the replicas' logs hold", text, StringComparison.Ordinal);
        Assert.Contains("0 skipped", text, StringComparison.Ordinal);
        Assert.Contains("Recovery problems: faults after which the service could not be restarted or resumed", text, StringComparison.Ordinal);
        Assert.Contains("skipped: planned faults not injected", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExternalCluster_NoFaultsTableNorItsLegend()
    {
        var text = Render(Summary([]) with { FaultsInjected = false });

        Assert.Contains("Unknown outcomes: trades", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Recovery problems", text, StringComparison.Ordinal);
    }

    private static string Render(ChaosSummary summary)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400;
        ChaosReport.Render(summary, console);
        return output.ToString();
    }

    private static ChaosSummary Summary(IReadOnlyList<InjectedFault> faults) => new()
    {
        Seed = 1, DurationSeconds = 10, Clients = 2, FaultsInjected = true, Faults = faults, SkippedFaults = 0,
        Acknowledged = 5, UnknownOutcomes = 1, UnknownExecuted = 1, Lost = 0, Duplicated = 0, LookupsOk = 9, LookupsFailed = 1,
        TradesRejected = 0, Retries = 1, LongestUnavailabilitySeconds = 1.2, Settled = true, SettleSeconds = 0.5,
        StaleAtFirstLook = 0, StaleDetails = [], Violations = [],
    };
}
