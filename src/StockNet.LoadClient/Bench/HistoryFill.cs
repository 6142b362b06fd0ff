using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Orders;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// Fills a cluster with N orders through the public API, as fast as many connections allow. Each worker
/// trades one stock and alternates a sell and a buy of one share, starting with the sell, so a stock never
/// falls below its starting quantity and no buy is refused for want of stock: every request becomes an
/// order. A request that fails (a timeout on a busy machine) is sent again with the same side, so the
/// alternation holds; the history then holds at least N orders. Where the machine is too busy for that,
/// <see cref="WriteDirect"/> writes the same kind of history straight into each replica's log before the cluster
/// starts, behind the services' backs (the benchmark's table says so).
/// </summary>
public static class HistoryFill
{
    public const int Connections = 64;

    /// <summary>Orders per second over the whole fill; NaN for N = 0.</summary>
    public static async Task<double> FillAsync(FrontEndClient client, long orders, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (orders == 0)
        {
            return double.NaN;
        }

        var started = Stopwatch.GetTimestamp();
        var claimed = 0L;
        var done = 0L;
        var step = Math.Max(1, orders / 10);
        var stocks = LoadOptions.DefaultStocks;
        var workers = Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            var sell = true;
            while (Interlocked.Increment(ref claimed) <= orders)
            {
                var trade = new TradeRequest(stocks[worker % stocks.Count], sell ? TradeType.Sell : TradeType.Buy, 1);
                while (!(await client.TradeAsync(trade, cancellationToken)).IsSuccess)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                sell = !sell;
                if (Interlocked.Increment(ref done) % step == 0)
                {
                    console.MarkupLineInterpolated(
                        $"  filled {Interlocked.Read(ref done):N0} of {orders:N0} ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, load {LoadAverage.Now():0.0})");
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return orders / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Writes <paramref name="orders"/> executed orders (sells and buys of one share, keyed, at epoch 1, at the same
    /// positions in every log, as a leader's replication would have left them) into each replica's log under
    /// <paramref name="dataRoot"/>, before any service opens it. The catalog does not see them: its stock and journal
    /// are those of a fresh catalog. Answers the rows written per second.
    /// </summary>
    public static double WriteDirect(string dataRoot, int replicas, long orders, IAnsiConsole console)
    {
        const int Batch = 20_000;
        var started = Stopwatch.GetTimestamp();
        var stocks = LoadOptions.DefaultStocks;
        for (var id = 1; id <= replicas; id++)
        {
            var path = Path.Combine(dataRoot, ClusterLayout.ReplicaName(id), string.Create(CultureInfo.InvariantCulture, $"order_log_{id}.db"));
            using var log = OrderLog.Open(path);
            for (long first = 0; first < orders; first += Batch)
            {
                var count = (int)Math.Min(Batch, orders - first);
                log.AppendOffline([.. Enumerable.Range(0, count).Select(i => first + i).Select(n => new OrderEntry(
                    n, stocks[(int)(n % stocks.Count)], n / stocks.Count % 2 == 0 ? TradeType.Sell : TradeType.Buy, 1,
                    string.Create(CultureInfo.InvariantCulture, $"history-{n}"), 1))]);
            }

            console.MarkupLineInterpolated($"  wrote {orders:N0} orders into {path} ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, load {LoadAverage.Now():0.0})");
        }

        return orders * replicas / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
