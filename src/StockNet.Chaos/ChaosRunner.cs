using System.Diagnostics;
using System.Globalization;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Chaos;

/// <summary>A run could not begin: the cluster did not start, or did not answer before the load.</summary>
public sealed class ChaosSetupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One chaos run, top to bottom: get a cluster, note where its history starts, load it while faults are injected,
/// make it whole, let it settle, take a snapshot and judge it.
/// </summary>
public static class ChaosRunner
{
    private static readonly TimeSpan FirstFaultAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BaselineTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LossWindowBefore = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LossWindowAfter = TimeSpan.FromSeconds(2);

    /// <summary>Runs chaos; <paramref name="executable"/> starts the services when no targets are given.</summary>
    public static async Task<ChaosSummary> RunAsync(ChaosOptions options, StockNetExecutable executable, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var cluster = await GetClusterAsync(options, executable, progress, cancellationToken);
        // One pool for the load and every check; no retries of its own (retries of POSTs are the load's, always with the same key).
        using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = 64, cluster.Key);
        var probe = new ClusterProbe(clients, cluster.Endpoints, options.RequestTimeout);
        var baseline = await ReadBaselineAsync(probe, cancellationToken);

        progress(string.Create(CultureInfo.InvariantCulture, $"Loading with {options.Clients} clients for {options.Duration.TotalSeconds:0.#} s (seed {options.Seed}), from {DateTime.UtcNow:HH:mm:ss.fff} UTC."));
        var ledger = new LoadLedger();
        var clock = Stopwatch.StartNew();
        var watch = new LeaderWatch(probe, clock);
        var injector = cluster.Local is { } local ? new FaultInjector(local, ChaosCluster.ReadyTimeout, cluster.Network, () => Task.FromResult(watch.Leader)) : null;
        var duration = await RunLoadAsync(options, cluster, probe.FrontEnds, baseline, ledger, injector, watch, clock, cancellationToken);

        progress("Restoring every service and waiting for the cluster to settle.");
        var violations = new List<Violation>(await cluster.RestoreAsync(cancellationToken));
        var settle = await new Settler(probe).SettleAsync(options.SettleTimeout, cancellationToken);
        if (!settle.Settled)
        {
            violations.Add(new Violation("not-settled", $"Not ready and quiet within {options.SettleTimeout.TotalSeconds:0} s; last: {settle.LastState}"));
        }

        progress("Checking the invariants.");
        var (snapshot, catalog, unreadable) = await TakeSnapshotAsync(probe, baseline, ledger, cancellationToken);
        violations.AddRange(unreadable);
        var report = InvariantChecker.Check(snapshot);
        violations.AddRange(report.Violations);
        var cache = await new CacheChecker(probe, options.CacheTtl).CheckAsync(catalog, cancellationToken);
        violations.AddRange(cache.Violations);
        violations.AddRange(cluster.Crashes);

        var summary = Summarize(options, duration, ledger, injector, snapshot, report, settle, cache, violations) with
        {
            Hosts = cluster.Network is not null,
            FrontEnds = cluster.Endpoints.FrontEnds.Count,
            ElectionsAtSeconds = [.. watch.Elections.Select(at => at.TotalSeconds)],
            Timeline = ledger.Timeline,
        };
        return summary;
    }

    private static async Task<ChaosCluster> GetClusterAsync(ChaosOptions options, StockNetExecutable executable, Action<string> progress, CancellationToken cancellationToken)
    {
        if (options.Targets is { } targets)
        {
            progress($"Checking the cluster at {targets.FrontEnd} without injecting faults.");
            return ChaosCluster.Attach(targets);
        }

        progress("Starting a cluster on free ports.");
        try
        {
            return await ChaosCluster.StartAsync(executable, options, cancellationToken);
        }
        catch (Exception ex) when (ex is ServiceStartException or IOException or InvalidOperationException or StockNet.Cluster.Network.NetworkSetupException)
        {
            throw new ChaosSetupException("The cluster did not start: " + ex.Message, ex);
        }
    }

    private static async Task<Baseline> ReadBaselineAsync(ClusterProbe probe, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < BaselineTimeout)
        {
            if (await probe.ReadBaselineAsync(cancellationToken) is { Quantities.Count: > 0 } baseline)
            {
                return baseline;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new ChaosSetupException($"The catalog at {probe.Endpoints.Catalog} did not list its stocks and journal within {BaselineTimeout.TotalSeconds:0} s.");
    }

    private static async Task<TimeSpan> RunLoadAsync(
        ChaosOptions options, ChaosCluster cluster, IReadOnlyList<FrontEndClient> frontEnds, Baseline baseline, LoadLedger ledger, FaultInjector? injector,
        LeaderWatch watch, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        clock.Restart();
        var watched = watch.RunAsync(watching.Token);
        var load = new ChaosLoad(frontEnds, [.. baseline.Quantities.Keys.Order(StringComparer.Ordinal)], options, ledger, clock).RunAsync(stop.Token);
        var faults = injector?.RunAsync(FaultSchedule.Create(ScheduleSettings(options, cluster.ServiceNames)), clock, stop.Token) ?? Task.CompletedTask;
        await load;
        var duration = clock.Elapsed;
        await faults;
        await watching.CancelAsync();
        await watched;
        return duration;
    }

    private static FaultScheduleSettings ScheduleSettings(ChaosOptions options, IReadOnlyList<string> services) => new(
        options.Seed, services, FirstFaultAfter, options.Duration - options.MaxFaultHold, options.FaultInterval, options.MaxFaultHold, options.DoubleFaultProbability)
    {
        Kinds = options.Faults,
    };

    private static async Task<(ChaosSnapshot Snapshot, StockQuote[] Catalog, List<Violation> Unreadable)> TakeSnapshotAsync(
        ClusterProbe probe, Baseline baseline, LoadLedger ledger, CancellationToken cancellationToken)
    {
        var unreadable = new List<Violation>();
        var stocks = await probe.ReadStocksAsync(cancellationToken);
        var journal = await probe.ReadJournalAsync(baseline.JournalSequence, cancellationToken);
        if (stocks is null || journal is null)
        {
            unreadable.Add(new Violation("unreadable", $"The catalog at {probe.Endpoints.Catalog} did not give its stocks and journal."));
        }

        var logs = new List<ReplicaLog>();
        foreach (var (name, url) in probe.Endpoints.Replicas)
        {
            if (await probe.ReadLogAsync(url, baseline.Transaction, cancellationToken) is { } orders)
            {
                logs.Add(new ReplicaLog(name, orders));
            }
            else
            {
                unreadable.Add(new Violation("unreadable", $"{name} at {url} did not give its log."));
            }
        }

        var final = stocks?.ToDictionary(stock => stock.Name, stock => stock.Quantity, StringComparer.Ordinal) ?? new Dictionary<string, long>(baseline.Quantities);
        var snapshot = new ChaosSnapshot(baseline.Quantities, final, journal ?? [], logs, ledger.Acknowledged)
        {
            UnknownKeys = ledger.Unknown.ToHashSet(StringComparer.Ordinal),
        };
        return (snapshot, stocks ?? [], unreadable);
    }

    private static ChaosSummary Summarize(
        ChaosOptions options, TimeSpan duration, LoadLedger ledger, FaultInjector? injector, ChaosSnapshot snapshot,
        InvariantReport report, SettleResult settle, CacheVerdict cache, List<Violation> violations)
    {
        var logged = snapshot.Logs.SelectMany(log => log.Orders).Select(order => order.IdempotencyKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unknown = ledger.Unknown;
        var faults = injector?.Injected ?? [];
        var firstLoss = FirstLoss(snapshot);
        return new ChaosSummary
        {
            Seed = options.Seed,
            DurationSeconds = duration.TotalSeconds,
            Clients = options.Clients,
            FaultsInjected = injector is not null,
            Faults = faults,
            SkippedFaults = injector?.Skipped ?? 0,
            Acknowledged = snapshot.Acknowledged.Count,
            UnknownOutcomes = unknown.Count,
            UnknownExecuted = unknown.Count(logged.Contains),
            Lost = report.Lost,
            Duplicated = report.Duplicated,
            LookupsOk = ledger.LookupsOk,
            LookupsFailed = ledger.LookupsFailed,
            TradesRejected = ledger.TradesRejected,
            Retries = ledger.Retries,
            LongestUnavailabilitySeconds = ledger.LongestOutage?.Length.TotalSeconds ?? 0,
            LongestUnavailabilityStartSeconds = ledger.LongestOutage?.Start.TotalSeconds ?? 0,
            LongestUnavailability = ledger.LongestOutage,
            FaultsDuringLongestUnavailability = ledger.LongestOutage is { } outage ? FaultsDuring(faults, outage) : [],
            Settled = settle.Settled,
            SettleSeconds = settle.Elapsed.TotalSeconds,
            StaleAtFirstLook = cache.StaleAtFirstLook,
            StaleDetails = cache.StaleDetails,
            Violations = violations,
            FirstLossAtSeconds = firstLoss?.TotalSeconds,
            FaultsAroundFirstLoss = firstLoss is { } at ? [.. faults.Where(fault => fault.At >= at - LossWindowBefore && fault.At <= at + LossWindowAfter)] : [],
        };
    }

    /// <summary>The faults under way while a client could not get an answer: begun before its end and not yet over (a kill lasts until its restart is ready).</summary>
    private static List<InjectedFault> FaultsDuring(IReadOnlyList<InjectedFault> faults, ClientOutage outage) =>
        [.. faults.Where(fault => fault.At <= outage.Start + outage.Length && fault.At + fault.Hold + (fault.ReadyAfter ?? TimeSpan.Zero) >= outage.Start)];

    /// <summary>When the earliest acknowledged order that some replica lacks, or holds under another number, was acknowledged.</summary>
    private static TimeSpan? FirstLoss(ChaosSnapshot snapshot)
    {
        var byReplica = snapshot.Logs
            .Select(log => log.Orders.Where(order => order.IdempotencyKey is not null).Select(order => (order.IdempotencyKey!, order.TransactionNumber)).ToHashSet())
            .ToList();
        return snapshot.Acknowledged
            .Where(order => byReplica.Any(held => !held.Contains((order.Key, order.Number))))
            .Select(order => (TimeSpan?)order.At)
            .Min();
    }
}
