using StockNet.Chaos;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// Judges a cluster after a fault with the chaos command's own invariant checker: every acknowledged order on
/// every live replica exactly once, no number or key used twice, identical logs, catalog quantities equal to the
/// initial 100 minus buys plus sells over the log, and every catalog journal entry in the log.
/// </summary>
public static class ClusterChecks
{
    public const long InitialQuantity = 100;

    private static readonly string[] DefaultStocks = ["APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM"];

    /// <summary>Reads the whole log of one replica; null if it does not answer.</summary>
    public static async Task<OrderEntry[]?> ReadLogAsync(StockNetCluster cluster, int replicaId, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(signingKey: cluster.Cluster.Key);
        return await Probe(cluster, clients).ReadLogAsync(cluster.Replica(replicaId).BaseUrl, -1, cancellationToken);
    }

    public static async Task<PingReply?> PingAsync(StockNetCluster cluster, int replicaId, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(signingKey: cluster.Cluster.Key);
        return await Probe(cluster, clients).PingAsync(cluster.Replica(replicaId).BaseUrl, cancellationToken);
    }

    /// <summary>Waits (bounded) until the live replicas hold identical logs, then checks every invariant over the whole history.</summary>
    public static async Task<InvariantReport> SettleAndCheckAsync(
        StockNetCluster cluster, IReadOnlyList<AcknowledgedOrder> acknowledged, int[] liveReplicas, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(signingKey: cluster.Cluster.Key);
        var probe = Probe(cluster, clients);
        var logs = await Eventually.UntilAsync(
            ct => ReadLogsAsync(cluster, probe, liveReplicas, ct),
            snapshot => snapshot.All(log => log is not null) && snapshot.Select(Fingerprint).Distinct().Count() == 1,
            TimeSpan.FromSeconds(15),
            snapshot => string.Join("; ", (snapshot ?? []).Select(log => log is null ? "no answer" : $"{log.Replica}: {log.Orders.Count} orders")),
            cancellationToken);
        var stocks = await probe.ReadStocksAsync(cancellationToken) ?? throw new InvalidOperationException("The catalog did not answer.");
        var journal = await probe.ReadJournalAsync(-1, cancellationToken) ?? throw new InvalidOperationException("The catalog's journal did not answer.");
        var snapshot = new ChaosSnapshot(
            DefaultStocks.ToDictionary(name => name, _ => InitialQuantity, StringComparer.Ordinal),
            stocks.ToDictionary(stock => stock.Name, stock => stock.Quantity, StringComparer.Ordinal),
            journal,
            [.. logs.Select(log => log!)],
            acknowledged);
        return InvariantChecker.Check(snapshot);
    }

    /// <summary>Fails with every violation listed.</summary>
    public static void AssertPassed(InvariantReport report)
    {
        Assert.True(report.Passed, $"{report.Violations.Count} violations (lost {report.Lost}, duplicated {report.Duplicated}):\n"
            + string.Join("\n", report.Violations.Take(20).Select(v => $"{v.Invariant}: {v.Detail}")));
    }

    private static async Task<ReplicaLog?[]> ReadLogsAsync(StockNetCluster cluster, ClusterProbe probe, int[] replicas, CancellationToken cancellationToken)
    {
        var logs = new ReplicaLog?[replicas.Length];
        for (var i = 0; i < replicas.Length; i++)
        {
            var service = cluster.Replica(replicas[i]);
            var orders = await probe.ReadLogAsync(service.BaseUrl, -1, cancellationToken);
            logs[i] = orders is null ? null : new ReplicaLog(service.Name, orders);
        }

        return logs;
    }

    private static string Fingerprint(ReplicaLog? log) =>
        log is null ? "" : string.Join(",", log.Orders.OrderBy(o => o.TransactionNumber).Select(o => $"{o.TransactionNumber}:{o.IdempotencyKey}"));

    private static ClusterProbe Probe(StockNetCluster cluster, ProtocolClients clients) => new(
        clients,
        new ChaosEndpoints(
            cluster.FrontEndUrl,
            cluster.Catalog.BaseUrl,
            [.. Enumerable.Range(1, 3).Select(id => (cluster.Replica(id).Name, cluster.Replica(id).BaseUrl))]),
        TimeSpan.FromSeconds(10));
}
