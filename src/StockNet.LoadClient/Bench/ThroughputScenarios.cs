using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// The closed-loop requests of each throughput scenario. Trades sell one share of a stock and buy it back,
/// then move to the next stock, so no stock ever runs out (a refused buy would measure the refusal, not a
/// trade) and even one connection spreads its trades over every stock, as a real client would; their
/// transaction numbers feed the order queries.
/// </summary>
public sealed class ThroughputScenarios(IReadOnlyList<string> stocks, int cacheSize)
{
    private long _highestOrder = -1;

    public long HighestOrder => Interlocked.Read(ref _highestOrder);

    /// <summary>A hot set of stocks that fits in the cache, so every lookup after the warm-up is a hit.</summary>
    public IReadOnlyList<string> HotSet => [.. stocks.Take(Math.Max(1, Math.Min(cacheSize - 1, 3)))];

    public BenchOperation Operation(BenchScenario scenario, FrontEndClient client) => scenario switch
    {
        BenchScenario.CachedLookup => CachedLookup(client),
        BenchScenario.UncachedLookup => UncachedLookup(client),
        BenchScenario.Trade => (worker, iteration, ct) => TradeAsync(client, worker, iteration, ct),
        BenchScenario.OrderQuery => OrderQuery(client),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not a throughput scenario."),
    };

    public async ValueTask<bool> TradeAsync(FrontEndClient client, int worker, long iteration, CancellationToken cancellationToken)
    {
        var stock = stocks[(int)((worker + (iteration / 2)) % stocks.Count)];
        var trade = new TradeRequest(stock, iteration % 2 == 0 ? TradeType.Sell : TradeType.Buy, 1);
        var reply = await client.TradeAsync(trade, cancellationToken);
        if (!reply.IsSuccess)
        {
            return false;
        }

        RaiseHighestOrder(reply.Value!.TransactionNumber);
        return true;
    }

    private BenchOperation CachedLookup(FrontEndClient client)
    {
        var hot = HotSet;
        return async (worker, iteration, ct) => (await client.LookupAsync(hot[(int)((worker + iteration) % hot.Count)], ct)).IsSuccess;
    }

    private BenchOperation UncachedLookup(FrontEndClient client) =>
        async (worker, iteration, ct) => (await client.LookupAsync(stocks[(int)(((worker * 7) + iteration) % stocks.Count)], ct)).IsSuccess;

    private BenchOperation OrderQuery(FrontEndClient client) =>
        async (_, _, ct) =>
        {
            var number = Random.Shared.NextInt64(0, HighestOrder + 1);
            return (await client.QueryOrderAsync(number, ct)).IsSuccess;
        };

    private void RaiseHighestOrder(long number)
    {
        var current = Interlocked.Read(ref _highestOrder);
        while (number > current)
        {
            var seen = Interlocked.CompareExchange(ref _highestOrder, number, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
