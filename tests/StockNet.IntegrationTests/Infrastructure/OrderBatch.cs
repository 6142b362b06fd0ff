using System.Globalization;
using StockNet.Chaos;
using StockNet.Contracts;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>Places a fixed number of sells (they never run out of stock) through the front-end, several at a time.</summary>
public static class OrderBatch
{
    public static async Task<IReadOnlyList<AcknowledgedOrder>> PlaceAsync(
        StockNetCluster cluster, int count, string prefix, CancellationToken cancellationToken, int concurrency = 8)
    {
        var acknowledged = new AcknowledgedOrder?[count];
        var next = -1;
        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var trade = new TradeRequest(i % 2 == 0 ? "META" : "NFLX", TradeType.Sell, 1);
                var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}-{Guid.NewGuid():N}");
                var number = await TradeLoad.PlaceOnceAsync(cluster.FrontEndClient, trade, key, cancellationToken)
                    ?? throw new InvalidOperationException($"Order {i} of batch {prefix} was not acknowledged.");
                acknowledged[i] = new AcknowledgedOrder(key, number, trade.Name, trade.Type, trade.Quantity);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkerAsync()));
        return [.. acknowledged.Select(order => order!)];
    }
}
