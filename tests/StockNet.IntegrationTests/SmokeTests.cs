using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>
/// The whole cluster, started as real processes, answers the contract's basic requests. Each test trades
/// its own stock, so none depends on another's leftovers; GOOG is never traded here.
/// </summary>
public sealed class SmokeTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    private const int TestTimeout = 60_000;

    [Fact(Timeout = TestTimeout)]
    public async Task Start_FreshCluster_EveryServiceReady()
    {
        foreach (var service in Cluster.Cluster.Services)
        {
            using var client = new HttpClient { BaseAddress = service.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.GetAsync(Routes.HealthReady, Cancellation);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(5, Cluster.Cluster.Services.Count);
    }

    [Fact(Timeout = TestTimeout)]
    public void Start_FreshCluster_NoDataDirectoryForTheFrontEnd()
    {
        Assert.True(Directory.Exists(Cluster.DataDirOf(ClusterLayout.CatalogName)));
        Assert.False(Directory.Exists(Cluster.DataDirOf(ClusterLayout.FrontEndName)), "the front-end keeps no data, so it needs no directory");
    }

    [Fact(Timeout = TestTimeout)]
    public void Start_FreshCluster_EachReplicaLogsCatchingUpOnceAtInformationAndNoHealthFailure()
    {
        foreach (var id in new[] { 1, 2, 3 })
        {
            var lines = Cluster.Replica(id).RecentLogs();

            var catchingUp = Assert.Single(lines, line => line.Contains("catching up from the peers", StringComparison.Ordinal));
            Assert.StartsWith("info:", catchingUp.Split(' ', 2)[1], StringComparison.Ordinal);
            Assert.Contains(Cluster.DataDirOf(ClusterLayout.ReplicaName(id)), catchingUp, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, line => line.Contains("fail:", StringComparison.Ordinal) || line.Contains("Health check", StringComparison.Ordinal));
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task GetStock_Goog_ReturnsQuoteInContractShape()
    {
        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Stock("GOOG"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.Json, response.Content.Headers.ContentType?.MediaType);
        using var body = await ReadJsonAsync(response);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal("GOOG", data.GetProperty("name").GetString());
        Assert.Equal(100, data.GetProperty("quantity").GetInt64());
        Assert.True(data.GetProperty("price").GetDecimal() > 0m);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task PlaceOrder_Buy_LookupShowsNewQuantity()
    {
        var before = await QuantityAsync("NVDA", Cancellation);

        var number = await PlaceOrderAsync("NVDA", "buy", 3);

        Assert.True(number >= 0, $"transaction_number {number} is negative");
        // The catalog's invalidation reaches the front-end's cache asynchronously; well inside the cache's TTL.
        await Eventually.UntilAsync(
            async ct => await QuantityAsync("NVDA", ct) == before - 3,
            TimeSpan.FromSeconds(2),
            () => $"NVDA quantity still not {before - 3}",
            Cancellation);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task GetOrder_PlacedOrder_ReturnsTheOrder()
    {
        var number = await PlaceOrderAsync("AMD", "sell", 2);

        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Order(number), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await ReadJsonAsync(response);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(number, data.GetProperty("number").GetInt64());
        Assert.Equal("AMD", data.GetProperty("name").GetString());
        Assert.Equal("sell", data.GetProperty("type").GetString());
        Assert.Equal(2, data.GetProperty("quantity").GetInt32());
    }

    [Fact(Timeout = TestTimeout)]
    public async Task Export_ReplicaWithOrder_WritesCsvRow()
    {
        var number = await PlaceOrderAsync("IBM", "buy", 1);
        using var replica = Cluster.ClientFor(Cluster.Replica(1));
        await Eventually.UntilAsync(
            async ct => (await replica.GetAsync(Routes.Order(number), ct)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10),
            () => $"order {number} not on replica 1",
            Cancellation);
        // No --out: the CSV goes beside the replica's database, not into the working directory.
        var csv = Path.Combine(Cluster.DataDirOf(ClusterLayout.ReplicaName(1)), "order_log_1.csv");

        var result = await CliRunner.RunAsync(
            ["export", "--id", "1", "--data-dir", Cluster.DataDirOf(ClusterLayout.ReplicaName(1))],
            TimeSpan.FromSeconds(30),
            Cancellation);

        Assert.True(result.ExitCode == 0, $"export exited with {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains(csv, result.Output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv, Cancellation);
        Assert.Equal("transaction_number,name,type,quantity", lines[0]);
        Assert.Contains($"{number},IBM,buy,1", lines);
    }

    private async Task<long> PlaceOrderAsync(string name, string type, int quantity)
    {
        var json = $$"""{"name": "{{name}}", "type": "{{type}}", "quantity": {{quantity}}}""";
        using var content = new StringContent(json, Encoding.UTF8, MediaTypes.Json);
        using var response = await Cluster.FrontEndClient.PostAsync(Routes.Orders, content, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /orders {json} answered {(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64();
    }

    private async Task<long> QuantityAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await Cluster.FrontEndClient.GetAsync(Routes.Stock(name), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64();
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(Cancellation), cancellationToken: Cancellation);
}
