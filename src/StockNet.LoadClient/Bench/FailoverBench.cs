using System.Diagnostics;
using StockNet.Cluster;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// Kill -9 of the order leader under a steady trade load. The time to failover is measured from the kill to
/// the reply of the first trade sent after it that succeeded; every failed trade is a client error.
/// Afterwards the killed replica is started again, so the cluster is whole for what follows.
/// </summary>
public static class FailoverBench
{
    private const int Workers = 8;
    private static readonly TimeSpan BeforeKill = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(3);

    public static async Task<FailoverResult?> RunAsync(
        LocalCluster cluster, FrontEndClient client, ThroughputScenarios scenarios, NodeProbe probe, CancellationToken cancellationToken)
    {
        var leader = await probe.FindLeaderAsync(cluster, ReplicaCount(cluster), cancellationToken);
        if (leader is not { } killed)
        {
            return null;
        }

        var records = new List<(long Start, long End, bool Ok)>[Workers];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var mine = records[worker] = [];
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var ok = await scenarios.TradeAsync(client, worker, i, cancellationToken);
                mine.Add((start, Stopwatch.GetTimestamp(), ok));
            }
        }, cancellationToken)).ToArray();

        await Task.Delay(BeforeKill, cancellationToken);
        var killedAt = Stopwatch.GetTimestamp();
        await cluster.Replica(killed).KillAsync(cancellationToken);
        await Task.Delay(AfterKill, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = records.SelectMany(r => r).ToArray();
        var firstSuccess = all.Where(r => r.Ok && r.Start >= killedAt).Select(r => r.End).DefaultIfEmpty(long.MaxValue).Min();
        var newLeader = await probe.FindLeaderAsync(cluster, ReplicaCount(cluster), cancellationToken) ?? 0;
        await cluster.Replica(killed).RestartAsync(TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        return new FailoverResult(
            killed,
            newLeader,
            firstSuccess == long.MaxValue ? double.NaN : Stopwatch.GetElapsedTime(killedAt, firstSuccess).TotalMilliseconds,
            all.LongCount(r => r.Ok && r.End < killedAt),
            all.LongCount(r => r.Ok && r.Start >= killedAt),
            all.LongCount(r => !r.Ok));
    }

    internal static int ReplicaCount(LocalCluster cluster) => cluster.Layout.Replicas.Count;
}
