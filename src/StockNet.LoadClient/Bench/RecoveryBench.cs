using System.Collections.Concurrent;
using System.Diagnostics;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// A follower is killed, orders are placed without it, and it is started again: the time from its start to
/// its first ready answer (a replica reports ready only once it has caught up), then a check that it holds
/// every order placed while it was down.
/// </summary>
public static class RecoveryBench
{
    private const int Workers = 32;
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RecoveryResult?> RunAsync(
        LocalCluster cluster, FrontEndClient client, int orders, NodeProbe probe, CancellationToken cancellationToken)
    {
        var replicas = FailoverBench.ReplicaCount(cluster);
        var leader = await probe.FindLeaderAsync(cluster, replicas, cancellationToken);
        if (leader is not { } leaderId)
        {
            return null;
        }

        var followerId = Enumerable.Range(1, replicas).First(id => id != leaderId);
        var follower = cluster.Replica(followerId);
        var before = await probe.MaxTransactionAsync(cluster.Replica(leaderId).BaseUrl, cancellationToken) ?? -1;
        await follower.KillAsync(cancellationToken);

        var placed = await PlaceOrdersAsync(client, orders, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        follower.Start();
        var ready = await WaitReadyAsync(follower, probe, cancellationToken);
        var readyAfter = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var held = await probe.OrdersAfterAsync(follower.BaseUrl, before, cancellationToken) ?? [];
        var heldNumbers = held.Select(entry => entry.TransactionNumber).ToHashSet();
        var heldPlaced = placed.Count(heldNumbers.Contains);
        return new RecoveryResult(followerId, placed.Count, ready ? readyAfter : double.NaN, heldPlaced, ready && heldPlaced == placed.Count);
    }

    private static async Task<List<long>> PlaceOrdersAsync(FrontEndClient client, int orders, CancellationToken cancellationToken)
    {
        var numbers = new ConcurrentBag<long>();
        var next = -1;
        var stocks = LoadOptions.DefaultStocks;
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < orders; i = Interlocked.Increment(ref next))
            {
                var trade = new TradeRequest(stocks[i % stocks.Count], i / stocks.Count % 2 == 0 ? TradeType.Sell : TradeType.Buy, 1);
                var reply = await client.TradeAsync(trade, cancellationToken);
                if (reply.IsSuccess)
                {
                    numbers.Add(reply.Value!.TransactionNumber);
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return [.. numbers];
    }

    private static async Task<bool> WaitReadyAsync(ServiceProcess node, NodeProbe probe, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (node.HasExited)
            {
                return false;
            }

            if (await probe.IsReadyAsync(node.BaseUrl, cancellationToken))
            {
                return true;
            }

            await Task.Delay(ReadyPollInterval, cancellationToken);
        }

        return false;
    }
}
