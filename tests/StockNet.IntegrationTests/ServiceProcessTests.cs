using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>The launcher itself, with one catalog process: readiness, fail-fast, stop, kill, restart, freeze and the parent watch.</summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ServiceProcessTests : IAsyncDisposable
{
    private const int TestTimeout = 60_000;
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(30);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stocknet-sp-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<ServiceProcess> _started = [];

    [Fact(Timeout = TestTimeout)]
    public async Task WaitReadyAsync_ProcessExitsAtStart_FailsFastWithExitCodeAndLog()
    {
        var service = Start("order", ["order"]);

        var failure = await Assert.ThrowsAsync<ServiceStartException>(() => service.WaitReadyAsync(Ready, Cancel));

        Assert.Equal(1, failure.ExitCode);
        Assert.Contains("--id", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Start_NoClusterKey_RefusesToStartAndSaysHowToGiveOne()
    {
        var port = FreePorts.Take("127.0.0.1", 1)[0].ToString(CultureInfo.InvariantCulture);
        var service = Start("catalog", ["catalog", "--port", port, "--data-dir", _dataDir, "--cache", "off"], port, withKey: false);

        var failure = await Assert.ThrowsAsync<ServiceStartException>(() => service.WaitReadyAsync(Ready, Cancel));

        Assert.Equal(2, failure.ExitCode);
        Assert.Contains(ClusterKey.FileVariable, failure.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", failure.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Start_InsecureWithoutKey_StartsWarnsAndAcceptsUnsignedRequests()
    {
        var service = await StartCatalogAsync(["--insecure"], withKey: false);

        using var client = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        using var journal = await client.GetAsync("/trades", Cancel);

        Assert.Equal(System.Net.HttpStatusCode.OK, journal.StatusCode);
        Assert.Contains(service.RecentLogs(), line => line.Contains("--insecure", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task StopAsync_ReadyCatalog_ExitsWithZero()
    {
        var catalog = await StartCatalogAsync();

        await catalog.StopAsync(Cancel);

        Assert.True(catalog.HasExited);
        Assert.Equal(0, catalog.ExitCode);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task RestartAsync_KilledCatalog_ReadyAgainAtSameUrl()
    {
        var catalog = await StartCatalogAsync();
        await catalog.KillAsync(Cancel);
        Assert.True(catalog.HasExited);

        await catalog.RestartAsync(Ready, cancellationToken: Cancel);

        Assert.False(catalog.HasExited);
        await catalog.WaitReadyAsync(Ready, Cancel);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PauseAsync_ReadyCatalog_UnresponsiveUntilResumed()
    {
        var catalog = await StartCatalogAsync();

        await catalog.PauseAsync();
        var whilePaused = await ProbeAsync(catalog);
        await catalog.ResumeAsync();

        Assert.Equal("timeout", whilePaused);
        await Eventually.UntilAsync(async _ => await ProbeAsync(catalog) == "200", TimeSpan.FromSeconds(10), () => "catalog not answering after resume", Cancel);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ParentPid_ParentExits_ServiceExitsByItself()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var catalog = await StartCatalogAsync(["--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture)]);

        parent.Kill();
        await parent.WaitForExitAsync(Cancel);

        await Eventually.UntilAsync(_ => Task.FromResult(catalog.HasExited), TimeSpan.FromSeconds(15), () => "catalog still running", Cancel);
        Assert.Equal(0, catalog.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // On a new port again when its port was taken before it bound it.
    private Task<ServiceProcess> StartCatalogAsync(IReadOnlyList<string>? extra = null, bool withKey = true) =>
        PortRace.RetryAsync(async () =>
        {
            var port = FreePorts.Take("127.0.0.1", 1)[0].ToString(CultureInfo.InvariantCulture);
            var service = Start("catalog", ["catalog", "--port", port, "--data-dir", _dataDir, "--cache", "off", .. extra ?? []], port, withKey);
            await service.WaitReadyAsync(Ready, Cancel);
            return service;
        });

    private ServiceProcess Start(string name, IReadOnlyList<string> arguments, string port = "1", bool withKey = true)
    {
        var environment = new Dictionary<string, string?>
        {
            // Set or removed explicitly, whatever the test runner's own environment holds.
            [ClusterKey.Variable] = withKey ? "service-process-tests-key" : null,
            [ClusterKey.FileVariable] = null,
        };
        var service = new ServiceProcess(name, new Uri("http://127.0.0.1:" + port), BuildPaths.StockNet, arguments, environment);
        _started.Add(service);
        service.Start();
        return service;
    }

    private static async Task<string> ProbeAsync(ServiceProcess service)
    {
        using var client = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromMilliseconds(500) };
        try
        {
            using var response = await client.GetAsync(Routes.HealthReady, Cancel);
            return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (TaskCanceledException) when (!Cancel.IsCancellationRequested)
        {
            return "timeout";
        }
    }
}
