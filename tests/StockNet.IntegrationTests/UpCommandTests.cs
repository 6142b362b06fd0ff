using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary><c>stocknet up</c> as a user runs it: it supervises its children and Ctrl+C stops every one of them.</summary>
[Collection(ClusterCollection.Name)]
public sealed partial class UpCommandTests
{
    private static readonly TimeSpan Ready = StockNetCluster.ReadyTimeout;
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 240_000)]
    public async Task Up_ChildKilled_RestartedAndCtrlCStopsEveryChildIncludingTheNewOne()
    {
        await using var up = UpProcess.Start();
        await up.WaitForLineAsync(UpLine(), Ready, Cancel);
        var pids = up.ReadyPids();
        Assert.Equal(5, pids.Count);

        using (var victim = Process.GetProcessById(pids["order-3"]))
        {
            victim.Kill();
        }

        await up.WaitForLineAsync(RestartingLine(), Ready, Cancel);
        var restarted = await up.WaitForLineAsync(RestartedLine(), Ready, Cancel);
        var newPid = int.Parse(restarted.Groups["pid"].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(pids["order-3"], newPid);
        Assert.Equal(HttpStatusCode.OK, await ProbeReadyAsync(restarted.Groups["url"].Value));

        await up.InterruptAsync(Stop, Cancel);

        Assert.True(up.ExitCode == 0, $"up exited with {up.ExitCode}:{Environment.NewLine}{up.Output()}");
        Assert.Contains("Stopped.", up.Lines);
        Assert.DoesNotContain(pids.Values.Append(newPid), UpProcess.IsRunning);
    }

    [Fact(Timeout = 240_000)]
    public async Task Up_RestartNoAndChildKilled_ReportsItDeadAndLeavesItDead()
    {
        await using var up = UpProcess.Start("--restart", "no");
        await up.WaitForLineAsync(UpLine(), Ready, Cancel);
        var pids = up.ReadyPids();

        using (var victim = Process.GetProcessById(pids["order-1"]))
        {
            victim.Kill();
        }

        await up.WaitForLineAsync(DiedLine(), Ready, Cancel);
        await up.InterruptAsync(Stop, Cancel);

        Assert.DoesNotContain(up.Lines, line => line.Contains("restarting it in", StringComparison.Ordinal) || line.Contains("restarted:", StringComparison.Ordinal));
        Assert.Equal(0, up.ExitCode);
        Assert.DoesNotContain(pids.Values, UpProcess.IsRunning);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> ProbeReadyAsync(string baseUrl)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync(Routes.HealthReady, Cancel);
        return response.StatusCode;
    }

    [GeneratedRegex("^Stock Net is up")]
    private static partial Regex UpLine();

    [GeneratedRegex(@"^!!! order-3 exited \(code \d+\); restarting it in 1 s \(restart 1 in a row\)")]
    private static partial Regex RestartingLine();

    [GeneratedRegex(@"^!!! order-3 restarted: pid (?<pid>\d+), ready at (?<url>http://\S+)\.$")]
    private static partial Regex RestartedLine();

    [GeneratedRegex(@"^!!! order-1 DIED \(exit code \d+\); the cluster runs without it")]
    private static partial Regex DiedLine();
}
