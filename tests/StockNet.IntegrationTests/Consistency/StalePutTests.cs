using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>
/// The stale-put race, forced with the catalog's test-only lookup delay: a lookup miss reads quantity q, a trade
/// commits and its invalidation arrives, then the delayed reply brings q back. The cache must refuse it, so the
/// next lookup is a miss that shows the new quantity.
/// </summary>
public sealed class StalePutTests(SlowLookupCluster cluster) : ClusterTest<SlowLookupCluster>(cluster)
{
    // Each attempt uses a stock never looked up before, so its first lookup is a miss.
    private static readonly string[] Stocks = ["NFLX", "META", "NVDA"];

    [Fact(Timeout = 120_000)]
    public async Task Lookup_TradeCommitsWhileMissIsInFlight_StaleQuoteRefusedAndNextLookupFresh()
    {
        var acknowledged = new List<AcknowledgedOrder>();
        var raced = false;
        foreach (var name in Stocks)
        {
            var lookup = ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, name, Cancellation);
            var key = $"race-{Guid.NewGuid():N}";
            var placed = await ConsistencyProbe.PlaceAsync(Cluster.FrontEndClient, name, key, Cancellation);
            Assert.Equal(200, placed.Status);
            acknowledged.Add(new AcknowledgedOrder(key, placed.Number!.Value, name, TradeType.Buy, 1));
            var stale = await lookup;
            if (stale.Quantity != ClusterChecks.InitialQuantity)
            {
                // The trade reached the catalog before the lookup read it: no race this time.
                continue;
            }

            var next = await ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, name, Cancellation);
            var again = await ConsistencyProbe.LookupAsync(Cluster.FrontEndClient, name, Cancellation);

            Assert.Equal((200, "MISS", ClusterChecks.InitialQuantity), stale);
            Assert.Equal((200, "MISS", ClusterChecks.InitialQuantity - 1), next);
            Assert.Equal((200, "HIT", ClusterChecks.InitialQuantity - 1), again);
            raced = true;
            break;
        }

        Assert.True(raced, "the delayed lookup never read the quote before the trade; the race was not forced");
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, acknowledged, [1, 2, 3], Cancellation));
    }
}
