using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Dashboard;

/// <summary>A cluster whose read-only routes need a token, as <c>stocknet up</c> configures it.</summary>
public sealed class DashboardCluster : StockNetCluster
{
    public const string Token = "dashboard-test-token";

    protected override ClusterOptions CreateOptions()
    {
        var options = base.CreateOptions();
        return new ClusterOptions
        {
            UseFreePorts = options.UseFreePorts,
            DataRoot = options.DataRoot,
            Fresh = options.Fresh,
            ReadyTimeout = options.ReadyTimeout,
            Environment = new Dictionary<string, string?> { ["Metrics__Token"] = Token },
        };
    }
}

/// <summary>
/// The dashboard in a real browser (Debian's chromium through Playwright): it shows the leader and the numbers
/// the front-end reports, and after the leader is killed it shows the new one without a reload. The screenshot
/// is saved with the test results (STOCKNET_SCREENSHOT_DIR, else the temp directory).
/// </summary>
public sealed class DashboardTests(DashboardCluster cluster) : ClusterTest<DashboardCluster>(cluster)
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Dashboard_LeaderKilled_ShowsNewLeaderWithoutReload()
    {
        Assertions.SetDefaultExpectTimeout((float)PageTimeout.TotalMilliseconds);
        using var status = StatusClient();
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var traffic = KeepTradingAsync(stopTraffic.Token);
        var before = await ReadStatusAsync(status, s => s.LeaderId is not null && s.Traffic.TradesPerSecond > 0);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await ChromiumAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        await page.GotoAsync(new Uri(Cluster.FrontEndUrl, Routes.Dashboard + "?token=" + DashboardCluster.Token).ToString());

        var leader = page.GetByTestId("leader");
        await Assertions.Expect(leader).ToHaveAttributeAsync("data-leader", before.LeaderId!.Value.ToString());
        await Assertions.Expect(page.GetByTestId($"replica-{before.LeaderId}")).ToHaveAttributeAsync("data-role", "leader");
        await Assertions.Expect(page.GetByTestId("cache-size")).ToHaveTextAsync($"{before.Cache.Size} / {before.Cache.Capacity}");
        await Assertions.Expect(page.GetByTestId("trades-rate")).Not.ToHaveTextAsync("0.0");
        await Assertions.Expect(page.GetByTestId("lru").Locator("li[data-name=GOOG]")).ToBeVisibleAsync();

        await Cluster.Replica(before.LeaderId.Value).KillAsync(Cancellation);
        var clock = Stopwatch.StartNew();
        await Assertions.Expect(leader).Not.ToHaveAttributeAsync("data-leader", before.LeaderId.Value.ToString());
        await Assertions.Expect(leader).Not.ToHaveAttributeAsync("data-leader", "");
        var shownAfter = clock.Elapsed;
        var newLeader = await leader.GetAttributeAsync("data-leader");
        await Assertions.Expect(page.GetByTestId($"replica-{before.LeaderId}")).ToHaveAttributeAsync("data-role", "down");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync($"Replica {newLeader} leads");
        await Assertions.Expect(page.GetByTestId($"replica-{newLeader}")).ToHaveAttributeAsync("data-role", "leader");

        var screenshot = Path.Combine(ScreenshotDirectory(), "dashboard-failover.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"The page showed replica {newLeader} as leader {shownAfter.TotalSeconds:0.0} s after replica {before.LeaderId} was killed; screenshot: {screenshot}");
        await stopTraffic.CancelAsync();
        await traffic;
    }

    // A few lookups and trades a second while the page is watched, so its rates and cache have something to show.
    private async Task KeepTradingAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await TradeAndLookAsync(stop);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The test is done with the traffic.
        }
    }

    // Orders may get a 503 while the leader is replaced; only lookups must always succeed.
    private async Task TradeAndLookAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "GOOG", "APPL", "MSFT", "GOOG", "AMZN", "GOOG" })
        {
            using var lookup = await Cluster.FrontEndClient.GetAsync(Routes.Stock(name), cancellationToken);
            lookup.EnsureSuccessStatusCode();
        }

        using var order = await Cluster.FrontEndClient.PostAsJsonAsync(Routes.Orders, new { name = "GOOG", type = "buy", quantity = 1 }, cancellationToken);
    }

    private HttpClient StatusClient()
    {
        var http = new HttpClient { BaseAddress = Cluster.FrontEndUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardCluster.Token);
        return http;
    }

    private static Task<ClusterStatus> ReadStatusAsync(HttpClient http, Func<ClusterStatus, bool> accept) =>
        Eventually.UntilAsync(
            async token => await http.GetFromJsonAsync(Routes.Status, StockNetJsonContext.Default.ClusterStatus, token) ?? throw new InvalidOperationException("empty status"),
            accept,
            PageTimeout,
            last => $"status: {last}",
            Cancellation);

    private static Task<IBrowser> ChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("STOCKNET_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // Root in CI has no user namespace sandbox to give the renderer.
            Args = ["--no-sandbox"],
        });

    private static string ScreenshotDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("STOCKNET_SCREENSHOT_DIR") ?? Path.Combine(Path.GetTempPath(), "stocknet-dashboard");
        Directory.CreateDirectory(directory);
        return Path.GetFullPath(directory);
    }
}
