using StockNet.Cli.Status;

namespace StockNet.Cli.Tests.Status;

/// <summary>The last line of <c>stocknet status</c>: with no front-end answering, it says why and what to do.</summary>
public sealed class StatusViewTests
{
    private static readonly Uri FrontEnd = new("http://127.0.0.1:9001");

    [Fact]
    public void Verdict_FrontEndUnreachable_SaysSoAndHowToStartOrPointAtOne()
    {
        var verdict = StatusView.Verdict([new FrontEndReading(FrontEnd, null, "unreachable")]);

        Assert.Equal(
            "No front-end answered (127.0.0.1:9001: unreachable). Is the cluster running? Start it with 'bash scripts/run-local.sh', "
            + "or give a running front-end's address with --url (up --free-ports prints it).",
            verdict);
    }

    [Fact]
    public void Verdict_TokenRefused_SaysWhereTheTokenComesFrom()
    {
        var verdict = StatusView.Verdict([new FrontEndReading(FrontEnd, null, "HTTP 401")]);

        Assert.Equal(
            "No front-end answered (127.0.0.1:9001: HTTP 401). Give the read-only token with --token or $STOCKNET_METRICS_TOKEN, "
            + "or run from the directory that holds data/metrics.token.",
            verdict);
    }
}
