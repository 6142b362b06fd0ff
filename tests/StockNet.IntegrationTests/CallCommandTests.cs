using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>
/// <c>stocknet call</c>, the built CLI as an operator runs it, against a real catalog process started with a cluster key
/// on a free port: a signed call trades on an internal route and reads the result back; an unsigned request and a call
/// signed with another key are refused 401 and change nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CallCommandTests(CallCommandTests.KeyedCatalog catalog) : IClassFixture<CallCommandTests.KeyedCatalog>
{
    private const int TestTimeout = 120_000;
    private const string CatalogKeyText = "call-command-integration-key";

    // stocknet call's exit code for a 4xx (CallCommand.ClientError; this project runs the CLI, it does not reference it).
    private const int ClientError = 4;
    // The call's own budget (its default is 5 s) is far above what it needs, so only a hung exchange fails it, never a loaded
    // machine; the process's budget is above that.
    private const string CallSeconds = "60";
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = TestTimeout)]
    public async Task Call_SignedSellOnTheCatalog_ChangesTheQuantityAndReadsItBack()
    {
        var before = await catalog.QuantityAsync("GOOG");

        var sell = await CallAsync(["POST", catalog.Url("/stocks/GOOG"), "--data", "{\"type\":\"sell\",\"quantity\":5}", "--key-file", catalog.KeyFile]);
        var readBack = await CallAsync(["GET", catalog.Url("/stocks/GOOG"), "--key-file", catalog.KeyFile]);

        Assert.Equal(0, sell.ExitCode);
        Assert.StartsWith("200", sell.Error, StringComparison.Ordinal);
        Assert.Equal(before + 5, QuantityIn(sell.Output));
        Assert.Equal(0, readBack.ExitCode);
        Assert.Equal(before + 5, QuantityIn(readBack.Output));
        Assert.Equal(before + 5, await catalog.QuantityAsync("GOOG"));
        Assert.DoesNotContain(CatalogKeyText, sell.Output + sell.Error + readBack.Output + readBack.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Unsigned_InternalRoutes_401AndNothingChanges()
    {
        var before = await catalog.QuantityAsync("MSFT");
        using var client = new HttpClient { BaseAddress = catalog.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

        using var journal = await client.GetAsync("/trades", Cancel);
        using var trade = await client.PostAsync(
            "/stocks/MSFT", new StringContent("{\"type\":\"sell\",\"quantity\":5}", Encoding.UTF8, MediaTypes.Json), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, journal.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, trade.StatusCode);
        Assert.Equal(before, await catalog.QuantityAsync("MSFT"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Call_WrongKey_401ExitsNonZeroAndNothingChanges()
    {
        var before = await catalog.QuantityAsync("AMZN");
        var wrongKey = Path.Combine(catalog.DataDir, "wrong.key");
        await File.WriteAllTextAsync(wrongKey, "not-the-catalogs-key-at-all\n", Cancel);

        var sell = await CallAsync(["POST", catalog.Url("/stocks/AMZN"), "--data", "{\"type\":\"sell\",\"quantity\":5}", "--key-file", wrongKey]);

        Assert.Equal(ClientError, sell.ExitCode);
        Assert.StartsWith("401", sell.Error, StringComparison.Ordinal);
        using var error = JsonDocument.Parse(sell.Output);
        Assert.Equal("unauthorized", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(before, await catalog.QuantityAsync("AMZN"));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The call's own environment holds no key: only the flags given count.
    private static Task<CliResult> CallAsync(string[] arguments) =>
        CliRunner.RunAsync(["call", "--timeout", CallSeconds, .. arguments], CliTimeout, Cancel, new Dictionary<string, string?> { [ClusterKey.FileVariable] = null, [ClusterKey.Variable] = null });

    private static int QuantityIn(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("data").GetProperty("quantity").GetInt32();
    }

    /// <summary>One catalog process with a key file, started once for the class; its data directory is deleted afterwards.</summary>
    public sealed class KeyedCatalog : IAsyncLifetime
    {
        private ServiceProcess? _service;

        public string DataDir { get; } = Directory.CreateTempSubdirectory("stocknet-call-").FullName;

        public string KeyFile => Path.Combine(DataDir, ClusterKey.FileName);

        public Uri BaseUrl => _service?.BaseUrl ?? throw new InvalidOperationException("The catalog has not started.");

        public string Url(string pathAndQuery) => new Uri(BaseUrl, pathAndQuery).ToString();

        /// <summary>The quantity the catalog's public quote route answers.</summary>
        public async Task<int> QuantityAsync(string name)
        {
            using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
            return QuantityIn(await client.GetStringAsync(Routes.Stocks + "/" + name, Cancel));
        }

        public async ValueTask InitializeAsync()
        {
            await File.WriteAllTextAsync(KeyFile, CatalogKeyText + "\n", Cancel);
            _service = await PortRace.RetryAsync(async () =>
            {
                var port = FreePorts.Take(FreePorts.Loopback, 1)[0].ToString(CultureInfo.InvariantCulture);
                var service = new ServiceProcess(
                    "catalog",
                    new Uri($"http://{FreePorts.Loopback}:{port}"),
                    BuildPaths.StockNet,
                    ["catalog", "--port", port, "--data-dir", Path.Combine(DataDir, "catalog"), "--cache", "off"],
                    new Dictionary<string, string?> { [ClusterKey.FileVariable] = KeyFile, [ClusterKey.Variable] = null });
                try
                {
                    service.Start();
                    await service.WaitReadyAsync(TimeSpan.FromSeconds(60), Cancel);
                    return service;
                }
                catch
                {
                    await service.DisposeAsync();
                    throw;
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            if (_service is not null)
            {
                await _service.DisposeAsync();
            }

            Directory.Delete(DataDir, recursive: true);
        }
    }
}
