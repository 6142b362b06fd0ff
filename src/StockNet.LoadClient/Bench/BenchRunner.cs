using Spectre.Console;
using StockNet.LoadClient.Targets;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// Runs <c>stocknet bench</c>. With a cluster of its own: cached lookups, trades, order queries, failover and
/// recovery on one cluster with the cache on (the node-control scenarios last, since they disturb it), then
/// uncached lookups on a second cluster with the cache off. With --url: only what a bare front-end allows.
/// </summary>
public static class BenchRunner
{
    private static readonly BenchScenario[] ThroughputOrder =
        [BenchScenario.CachedLookup, BenchScenario.Trade, BenchScenario.OrderQuery];

    public static async Task<BenchReport> RunAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var throughput = new List<ThroughputResult>();
        var notes = new List<string>();
        FailoverResult? failover = null;
        RecoveryResult? recovery = null;
        IReadOnlyDictionary<string, double> memory = new Dictionary<string, double>();
        var scenarios = new ThroughputScenarios(LoadOptions.DefaultStocks, options.CacheSize);

        await using (var target = await OpenAsync(options, cacheEnabled: true, console, cancellationToken))
        {
            foreach (var scenario in ThroughputOrder.Where(options.Scenarios.Contains))
            {
                throughput.AddRange(await RunLevelsAsync(scenario, target, scenarios, options, console, cancellationToken));
            }

            if (options.Wrk)
            {
                throughput.AddRange(await CrossCheckAsync(target, options, console, cached: true, cancellationToken));
            }

            if (target.Cluster is { } cluster)
            {
                // Read before failover and recovery, which restart replicas and so reset their peaks.
                memory = ResidentMemory.PeakMegabytes(cluster);
                using var probe = new NodeProbe(cluster.Key);
                using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = 64);
                var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
                if (options.Scenarios.Contains(BenchScenario.Failover))
                {
                    console.MarkupLine("failover: kill -9 of the leader under a steady trade load ...");
                    failover = await FailoverBench.RunAsync(cluster, client, scenarios, probe, cancellationToken);
                    notes.AddRange(failover is null ? ["failover: no replica said it was the leader."] : []);
                }

                if (options.Scenarios.Contains(BenchScenario.Recovery))
                {
                    console.MarkupLineInterpolated($"recovery: a follower misses {options.RecoveryOrders} orders, then restarts ...");
                    recovery = await RecoveryBench.RunAsync(cluster, client, options.RecoveryOrders, probe, cancellationToken);
                    notes.AddRange(recovery is null ? ["recovery: no replica said it was the leader."] : []);
                }
            }
        }

        if (options.Scenarios.Contains(BenchScenario.UncachedLookup) && options.Url is null)
        {
            await using var uncached = await OpenAsync(options, cacheEnabled: false, console, cancellationToken);
            throughput.AddRange(await RunLevelsAsync(BenchScenario.UncachedLookup, uncached, scenarios, options, console, cancellationToken));
            if (options.Wrk)
            {
                throughput.AddRange(await CrossCheckAsync(uncached, options, console, cached: false, cancellationToken));
            }
        }

        if (options.Url is not null)
        {
            notes.Add("Against --url: uncached lookups, failover and recovery need a cluster started by bench itself, and were skipped.");
        }

        return new BenchReport(
            startedAt, options.Url?.ToString() ?? "embedded cluster (catalog, 3 order replicas, front-end)", MachineInfo.Describe(),
            options.Duration.TotalSeconds, options.Warmup.TotalSeconds, throughput, failover, recovery, memory, notes);
    }

    private static async Task<List<ThroughputResult>> RunLevelsAsync(
        BenchScenario scenario, LoadTarget target, ThroughputScenarios scenarios, BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var results = new List<ThroughputResult>();
        if (scenario == BenchScenario.OrderQuery && scenarios.HighestOrder < 0)
        {
            // Order queries need orders: place a few first when trades were not benchmarked.
            using var seeding = ProtocolClients.Create(http => http.MaxConnectionsPerServer = 8);
            var seeder = seeding.FrontEnd(target.FrontEndUrl, options.Timeout);
            await ClosedLoop.RunAsync("seed", 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), scenarios.Operation(BenchScenario.Trade, seeder), cancellationToken);
        }

        await WarmUpAsync(scenario, target, scenarios, options, console, cancellationToken);
        foreach (var connections in options.Connections)
        {
            // A pool per level: as many connections as workers, so no worker queues behind the pool.
            using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = connections);
            var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
            var result = await ClosedLoop.RunAsync(
                BenchScenarios.Label(scenario), connections, options.Warmup, options.Duration, scenarios.Operation(scenario, client), cancellationToken);
            Print(console, result);
            results.Add(result);
        }

        return results;
    }

    /// <summary>The scenario at the highest concurrency, unmeasured, before its first level (see <see cref="ScenarioWarmup"/>).</summary>
    private static async Task WarmUpAsync(
        BenchScenario scenario, LoadTarget target, ThroughputScenarios scenarios, BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (options.ScenarioWarmup > TimeSpan.Zero)
        {
            console.MarkupLineInterpolated(
                $"{BenchScenarios.Label(scenario)}: warming up at {options.Connections.Max()} connections for {options.ScenarioWarmup.TotalSeconds:0.#} s (unmeasured) ...");
        }

        await ScenarioWarmup.RunAsync(target.FrontEndUrl, scenario, scenarios, options, cancellationToken);
    }

    /// <summary>wrk on the same front-end: lookups and trades at the lowest and highest concurrency, order queries at the highest.</summary>
    private static async Task<List<ThroughputResult>> CrossCheckAsync(
        LoadTarget target, BenchOptions options, IAnsiConsole console, bool cached, CancellationToken cancellationToken)
    {
        var results = new List<ThroughputResult>();
        if (!WrkCrossCheck.IsInstalled())
        {
            console.MarkupLine("wrk is not on the PATH: no cross-check (apt-get install -y wrk).");
            return results;
        }

        var lookup = BenchTargets.WrkPrefix + (cached ? "cached-lookup" : "uncached-lookup");
        var lookupScenario = cached ? BenchScenario.CachedLookup : BenchScenario.UncachedLookup;
        var highest = options.Connections.Max();
        var runs = new List<(BenchScenario Scenario, Func<Task<ThroughputResult?>> Run)>();
        foreach (var connections in new[] { options.Connections.Min(), highest }.Distinct())
        {
            runs.Add((lookupScenario, () => WrkCrossCheck.LookupAsync(target.FrontEndUrl, lookup, connections, options.Duration, cancellationToken)));
        }

        if (cached)
        {
            foreach (var connections in new[] { options.Connections.Min(), highest }.Distinct())
            {
                runs.Add((BenchScenario.Trade, () => WrkCrossCheck.TradeAsync(target.FrontEndUrl, connections, options.Duration, cancellationToken)));
            }

            runs.Add((BenchScenario.OrderQuery, () => WrkCrossCheck.OrderQueryAsync(target.FrontEndUrl, highest, options.Duration, cancellationToken)));
        }

        foreach (var (_, run) in runs.Where(run => options.Scenarios.Contains(run.Scenario)))
        {
            if (await run() is { } result)
            {
                Print(console, result);
                results.Add(result);
            }
        }

        return results;
    }

    private static void Print(IAnsiConsole console, ThroughputResult result) =>
        console.MarkupLineInterpolated(
            $"{result.Scenario,-20} {result.Connections,3} conn  {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50Ms,8:0.000} ms  p99 {result.P99Ms,8:0.000} ms  errors {result.Errors}");

    private static async Task<LoadTarget> OpenAsync(BenchOptions options, bool cacheEnabled, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (options.Url is { } url)
        {
            return await LoadTarget.ConnectAsync(url, cancellationToken);
        }

        console.MarkupLineInterpolated($"Starting a cluster with the cache {(cacheEnabled ? "on" : "off")}{(options.Insecure ? ", insecure (no cluster key)" : "")} ...");
        return await LoadTarget.StartClusterAsync(cacheEnabled, options.CacheSize, cancellationToken, insecure: options.Insecure);
    }
}
