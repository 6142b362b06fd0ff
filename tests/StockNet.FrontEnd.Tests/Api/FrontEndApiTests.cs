using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.FrontEnd.Tests.Api;

public sealed class FrontEndApiTests : IAsyncLifetime
{
    private StubBackend _backend = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _backend = await StubBackend.StartAsync(Token);

    public async ValueTask DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task LookupStock_SecondTime_HitThenInvalidationMissesWithFreshQuantity()
    {
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url);
        await using var _ = app;
        using var __ = client;

        Assert.Equal(("MISS", 100L), await LookupAsync(client, "GOOG"));
        Assert.Equal(("HIT", 100L), await LookupAsync(client, "GOOG"));
        _backend.GoogQuantity = 97;
        using var invalidation = await client.PostAsync("/invalidate/GOOG", content: null, Token);
        Assert.Equal("""{"data":{"invalidated":"GOOG"}}""", await invalidation.Content.ReadAsStringAsync(Token));
        Assert.Equal(("MISS", 97L), await LookupAsync(client, "GOOG"));

        var stats = await client.GetStringAsync(Routes.CacheStats, Token);
        Assert.Equal(
            """{"data":{"hits":1,"misses":2,"evictions":0,"invalidations":1,"size":1,"capacity":5,"enabled":true,"refused_puts":0}}""", stats);
        Assert.Equal(2, _backend.StockLookups);
    }

    [Fact]
    public async Task PlaceOrder_Succeeds_CachedQuoteDroppedWithoutWaitingForCatalogPush()
    {
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url);
        await using var _ = app;
        using var __ = client;
        Assert.Equal(("MISS", 100L), await LookupAsync(client, "GOOG"));
        _backend.GoogQuantity = 97;

        using var placed = await client.PostAsync(
            "/orders", new StringContent("""{"name":"GOOG","type":"buy","quantity":3}""", Encoding.UTF8, MediaTypes.Json), Token);

        Assert.Equal(200, (int)placed.StatusCode);
        Assert.Equal(("MISS", 97L), await LookupAsync(client, "GOOG"));
    }

    [Fact]
    public async Task LookupStock_CachingOff_EveryLookupAsksCatalog()
    {
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url, "--Cache:Enabled=false");
        await using var _ = app;
        using var __ = client;

        Assert.Equal(("MISS", 100L), await LookupAsync(client, "GOOG"));
        Assert.Equal(("MISS", 100L), await LookupAsync(client, "GOOG"));
        using var invalidation = await client.PostAsync(
            "/invalidate/GOOG", new StringContent("""{"name":"GOOG","version":3}""", Encoding.UTF8, MediaTypes.Json), Token);

        Assert.Equal(200, (int)invalidation.StatusCode);
        Assert.Equal(2, _backend.StockLookups);
    }

    [Fact]
    public async Task LookupStock_Unknown_404JsonError()
    {
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url);
        await using var _ = app;
        using var __ = client;

        using var response = await client.GetAsync("/stocks/NOPE", Token);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(404, ErrorCode(await response.Content.ReadAsStringAsync(Token)));
    }

    [Fact]
    public async Task LookupStock_CatalogDown_503JsonError()
    {
        using var catalogDown = RefusingPort.Hold();
        var (app, client) = await FrontEndHost.StartAsync(catalogDown.Url, _backend.Url);
        await using var _ = app;
        using var __ = client;

        using var response = await client.GetAsync("/stocks/GOOG", Token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(503, ErrorCode(await response.Content.ReadAsStringAsync(Token)));
    }

    [Fact]
    public async Task PlaceOrder_LeaderAnswers_PassedThrough()
    {
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url);
        await using var _ = app;
        using var __ = client;

        using var placed = await client.PostAsync(
            "/orders", new StringContent("""{"stock_name":"GOOG","type":"buy","quantity":3}""", Encoding.UTF8, MediaTypes.Json), Token);
        using var found = await client.GetAsync("/orders/0", Token);
        using var missing = await client.GetAsync("/orders/5", Token);

        Assert.Equal(200, (int)placed.StatusCode);
        Assert.Equal("""{"data":{"transaction_number":0}}""", await placed.Content.ReadAsStringAsync(Token));
        Assert.Equal(200, (int)found.StatusCode);
        Assert.Equal("""{"data":{"number":0,"name":"GOOG","type":"buy","quantity":3}}""", await found.Content.ReadAsStringAsync(Token));
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task PlaceOrder_NoReplicaReachable_503WithRetryAfter()
    {
        using var replicasDown = RefusingPort.Hold();
        var (app, client) = await FrontEndHost.StartAsync(_backend.Url, replicasDown.Url);
        await using var _ = app;
        using var __ = client;

        using var response = await client.PostAsync(
            "/orders", new StringContent("""{"name":"GOOG","type":"buy","quantity":3}""", Encoding.UTF8, MediaTypes.Json), Token);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(503, ErrorCode(await response.Content.ReadAsStringAsync(Token)));
    }

    [Theory]
    [InlineData("--FrontEnd:OrderReplicas=not-a-url")]
    [InlineData("--FrontEnd:OrderReplicas=1=http://127.0.0.1:1,1=http://127.0.0.1:2")]
    [InlineData("--FrontEnd:OrderReplicas=")]
    [InlineData("--Cache:Capacity=0")]
    [InlineData("--LeaderElection:ProbeTimeout=00:00:00")]
    public async Task RunAsync_InvalidConfiguration_ExitCode2(string setting)
    {
        var exitCode = await FrontEndApp.RunAsync(["--urls", "http://127.0.0.1:0", $"--Cluster:Key={FrontEndHost.KeyText}", setting], Token);

        Assert.Equal(ServiceRunner.StartupFailed, exitCode);
    }

    private static async Task<(string Cache, long Quantity)> LookupAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"/stocks/{name}", Token);
        Assert.Equal(200, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return (response.Headers.GetValues(Routes.CacheHeader).Single(), json.RootElement.GetProperty("data").GetProperty("quantity").GetInt64());
    }

    private static int ErrorCode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }
}
