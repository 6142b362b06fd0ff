using System.Diagnostics;
using Spectre.Console;
using StockNet.Cluster;
using StockNet.LoadClient.Targets;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// <c>stocknet bench --history N[,N...]</c>: what a trading system's age costs. For each N a fresh cluster is
/// filled with N orders through the public API (<see cref="HistoryFill"/>), then measured: each replica's peak
/// memory, trades at 64 connections, order queries for numbers drawn uniformly from the whole history, a plain
/// restart of a follower, a follower that misses orders and restarts, and kill -9 of the leader. When N = 0 is
/// among the sizes its cluster stays up, and every other size's trade runs alternate with runs on it (three
/// each), so both medians see the same machine. Every figure is taken with the machine's load average.
/// </summary>
public static class HistoryBench
{
    private const int Connections = 64;
    private const int ThroughputRuns = 3;
    private const int Replicas = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<List<HistoryResult>> RunAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var results = new List<HistoryResult>();
        Baseline? baseline = null;
        try
        {
            foreach (var history in options.History)
            {
                console.MarkupLineInterpolated($"history {history:N0}: starting a cluster (load {LoadAverage.Now():0.0}) ...");
                var direct = options.HistoryDirect && history > 0;
                var written = double.NaN;
                var target = await LoadTarget.StartClusterAsync(
                    cacheEnabled: true, options.CacheSize, cancellationToken,
                    prepare: direct ? root => written = HistoryFill.WriteDirect(root, Replicas, history, console) : null);
                var isBaseline = history == 0 && baseline is null;
                try
                {
                    using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = HistoryFill.Connections);
                    var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
                    var scenarios = new ThroughputScenarios(LoadOptions.DefaultStocks, options.CacheSize);
                    if (isBaseline)
                    {
                        var baselineClients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = Connections);
                        baseline = new Baseline(target, baselineClients, baselineClients.FrontEnd(target.FrontEndUrl, options.Timeout), scenarios);
                    }

                    var result = await MeasureAsync(target, client, scenarios, history, isBaseline ? null : baseline, options, console, cancellationToken);
                    result = direct ? result with { FillPerSecond = new Figure(written), DirectFill = true } : result;
                    console.WriteLine(HistoryTable.Row(result));
                    results.Add(result);
                }
                finally
                {
                    if (!isBaseline)
                    {
                        await target.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (baseline is not null)
            {
                baseline.Clients.Dispose();
                await baseline.Target.DisposeAsync();
            }
        }

        return results;
    }

    private static async Task<HistoryResult> MeasureAsync(
        LoadTarget target, FrontEndClient client, ThroughputScenarios scenarios, long history, Baseline? baseline,
        BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var cluster = target.Cluster!;
        var fill = new Figure(options.HistoryDirect ? double.NaN : await HistoryFill.FillAsync(client, history, console, cancellationToken));
        var (trades, baselineTrades) = await TradesAsync(client, scenarios, baseline, options, cancellationToken);
        // At one connection an order query's time is the lookup's own; at 64 it is mostly the wait for a core.
        var single = await ClosedLoop.RunAsync(
            "order-query", 1, options.Warmup, options.Duration, scenarios.Operation(BenchScenario.OrderQuery, client), cancellationToken);
        var queries = await ClosedLoop.RunAsync(
            "order-query", Connections, options.Warmup, options.Duration, scenarios.Operation(BenchScenario.OrderQuery, client), cancellationToken);
        var queryLoad = LoadAverage.Now();

        // Read before the node scenarios, which restart replicas and so reset their peaks.
        var memory = new Figure(ResidentMemory.PeakMegabytes(cluster)
            .Where(pair => pair.Key.StartsWith("order", StringComparison.Ordinal)).Select(pair => pair.Value).DefaultIfEmpty(double.NaN).Max());
        using var probe = new NodeProbe(cluster.Key);
        console.MarkupLine("  restart of a follower ...");
        var restart = new Figure(await RestartAsync(cluster, probe, cancellationToken));
        console.MarkupLineInterpolated($"  a follower misses {options.RecoveryOrders:N0} orders, then restarts ...");
        var recovery = await RecoveryBench.RunAsync(cluster, client, options.RecoveryOrders, probe, cancellationToken);
        var recoveryFigure = new Figure(recovery?.ReadyAfterMs ?? double.NaN);
        console.MarkupLine("  kill -9 of the leader under steady trades ...");
        var failover = await FailoverBench.RunAsync(cluster, client, scenarios, probe, cancellationToken);
        return new HistoryResult(
            history, fill, memory, trades, baselineTrades, new QueryFigures(single.P50Ms, single.P99Ms), new QueryFigures(queries.P50Ms, queries.P99Ms),
            single.Errors + queries.Errors, queryLoad,
            restart, recoveryFigure, recovery?.HoldsAll ?? false, new Figure(failover?.TimeToFirstSuccessMs ?? double.NaN), failover?.ClientErrors ?? -1);
    }

    /// <summary>Three trade runs; with a baseline, each is preceded by one on the baseline, and both medians are returned.</summary>
    private static async Task<(Figure Trades, Figure? Baseline)> TradesAsync(
        FrontEndClient client, ThroughputScenarios scenarios, Baseline? baseline, BenchOptions options, CancellationToken cancellationToken)
    {
        var own = new List<double>();
        var base0 = new List<double>();
        for (var run = 0; run < ThroughputRuns; run++)
        {
            if (baseline is not null)
            {
                base0.Add((await ClosedLoop.RunAsync(
                    "trade", Connections, options.Warmup, options.Duration, baseline.Scenarios.Operation(BenchScenario.Trade, baseline.Client), cancellationToken)).RequestsPerSecond);
            }

            own.Add((await ClosedLoop.RunAsync(
                "trade", Connections, options.Warmup, options.Duration, scenarios.Operation(BenchScenario.Trade, client), cancellationToken)).RequestsPerSecond);
        }

        return (new Figure(Median(own)), baseline is null ? null : new Figure(Median(base0)));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A follower stopped with kill -9 and started at once: its start to its first ready answer.</summary>
    private static async Task<double> RestartAsync(LocalCluster cluster, NodeProbe probe, CancellationToken cancellationToken)
    {
        var replicas = FailoverBench.ReplicaCount(cluster);
        if (await probe.FindLeaderAsync(cluster, replicas, cancellationToken) is not { } leader)
        {
            return double.NaN;
        }

        var follower = cluster.Replica(Enumerable.Range(1, replicas).First(id => id != leader));
        await follower.KillAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        follower.Start();
        var deadline = started + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !follower.HasExited)
        {
            if (await probe.IsReadyAsync(follower.BaseUrl, cancellationToken))
            {
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            await Task.Delay(5, cancellationToken);
        }

        return double.NaN;
    }

    private sealed record Baseline(LoadTarget Target, ProtocolClients Clients, FrontEndClient Client, ThroughputScenarios Scenarios);
}

/// <summary>A measured value and the machine's 1-minute load average when it was taken.</summary>
public readonly record struct Figure(double Value, double Load)
{
    public Figure(double value)
        : this(value, LoadAverage.Now())
    {
    }
}

/// <summary>Order-query latency percentiles at one connection count.</summary>
public readonly record struct QueryFigures(double P50Ms, double P99Ms);

/// <summary>One row of the history table.</summary>
public sealed record HistoryResult(
    long History,
    Figure FillPerSecond,
    Figure PeakReplicaMb,
    Figure TradesPerSecond,
    Figure? BaselineTradesPerSecond,
    QueryFigures QueryAtOne,
    QueryFigures QueryAt64,
    long QueryErrors,
    double QueryLoad,
    Figure RestartReadyMs,
    Figure RecoveryReadyMs,
    bool RecoveryHeldAll,
    Figure FailoverMs,
    long FailoverErrors,
    bool DirectFill = false);
