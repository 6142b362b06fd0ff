using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>
/// kill -9 of the catalog while clients trade: trades answer 503 "catalog-unavailable" at once, cached lookups
/// keep being served, and after the restart every trade the catalog applied is exactly one order.
/// </summary>
public sealed class CatalogCrashTests(StockNetCluster cluster) : ClusterTest<StockNetCluster>(cluster)
{
    private static readonly int[] AllReplicas = [1, 2, 3];

    [Fact(Timeout = 180_000)]
    public async Task KillCatalog_FourClientsTrading_TradesFailFastAndInvariantsHoldAfterRestart()
    {
        await using var load = new TradeLoad(Cluster.FrontEndUrl, clients: 4);
        load.Start();
        await load.WaitForMoreAsync(100, TimeSpan.FromSeconds(30), Cancellation);

        await Cluster.Catalog.KillAsync(Cancellation);
        await Eventually.UntilAsync(_ => Task.FromResult(load.Errors.Count > 0), TimeSpan.FromSeconds(30), () => "no trade failed", Cancellation);
        var during = await ConsistencyProbe.PlaceAsync(Cluster.FrontEndClient, "IBM", $"down-{Guid.NewGuid():N}", Cancellation);
        await load.StopAsync();

        Assert.Equal((503, "catalog-unavailable"), (during.Status, during.Type));
        await Cluster.Catalog.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);
        var resumed = await PlaceUntilTradedAsync("IBM");
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, [.. load.Acknowledged, resumed], AllReplicas, Cancellation));
    }

    [Fact(Timeout = 180_000)]
    public async Task KillCatalog_LookupAlreadyCached_ServedFromCache()
    {
        await ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, "AMD", Cancellation);
        var cached = await ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, "AMD", Cancellation);
        Assert.Equal((200, "HIT"), (cached.Status, cached.Cache));

        await Cluster.Catalog.KillAsync(Cancellation);
        var during = await ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, "AMD", Cancellation);
        await Cluster.Catalog.RestartAsync(StockNetCluster.ReadyTimeout, cancellationToken: Cancellation);

        Assert.Equal(cached, during);
    }

    // Trading resumes once the leader's catalog client reconnects; each attempt is a new order.
    private async Task<AcknowledgedOrder> PlaceUntilTradedAsync(string name)
    {
        return await Eventually.UntilAsync(
            async ct =>
            {
                var key = $"resumed-{Guid.NewGuid():N}";
                var placed = await ConsistencyProbe.PlaceAsync(Cluster.FrontEndClient, name, key, ct);
                return placed.Number is { } number ? new AcknowledgedOrder(key, number, name, TradeType.Buy, 1) : null;
            },
            order => order is not null,
            TimeSpan.FromSeconds(30),
            _ => "trading did not resume",
            Cancellation) ?? throw new InvalidOperationException("Trading did not resume.");
    }
}
