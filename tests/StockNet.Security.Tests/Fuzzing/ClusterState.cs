using System.Net.Http.Json;
using StockNet.Contracts;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests.Fuzzing;

/// <summary>Everything a request could change: the catalog's quantities and journal, every replica's log, the front-end's invalidation count.</summary>
public sealed record ClusterState(
    IReadOnlyDictionary<string, long> Quantities,
    IReadOnlyList<AppliedTrade> Journal,
    IReadOnlyList<IReadOnlyList<OrderEntry>> Logs,
    long Invalidations)
{
    public static async Task<ClusterState> ReadAsync(TestCluster cluster)
    {
        var token = TestContext.Current.CancellationToken;
        using var catalog = cluster.Catalog.SignedClient();
        var stocks = await catalog.GetFromJsonAsync(Routes.Stocks, FuzzJsonContext.Default.DataEnvelopeStockQuoteArray, token);
        var journal = await catalog.GetFromJsonAsync(Routes.JournalPage(-1, 10000), FuzzJsonContext.Default.DataEnvelopeAppliedTradeArray, token);
        var logs = new List<IReadOnlyList<OrderEntry>>();
        foreach (var replica in cluster.Replicas)
        {
            using var http = replica.SignedClient();
            var log = await http.GetFromJsonAsync(Routes.MissingOrdersAfter(-1), StockNetJsonContext.Default.DataEnvelopeOrderEntryArray, token);
            logs.Add([.. log!.Data.OrderBy(entry => entry.TransactionNumber)]);
        }

        using var frontEnd = cluster.FrontEnd.SignedClient();
        using var stats = System.Text.Json.JsonDocument.Parse(await frontEnd.GetStringAsync(Routes.CacheStats, token));
        return new ClusterState(
            stocks!.Data.ToDictionary(stock => stock.Name, stock => stock.Quantity, StringComparer.Ordinal),
            journal!.Data,
            logs,
            stats.RootElement.GetProperty("data").GetProperty("invalidations").GetInt64());
    }

    /// <summary>Every idempotency key the state holds (journal and logs).</summary>
    public IEnumerable<string> Keys =>
        Journal.Select(trade => trade.IdempotencyKey).Concat(Logs.SelectMany(log => log.Select(entry => entry.IdempotencyKey))).OfType<string>();

    /// <summary>For failure messages: every journal trade and log entry whose key <paramref name="matches"/>, and where it is.</summary>
    public IEnumerable<string> Holding(Func<string, bool> matches) =>
        Journal.Where(trade => trade.IdempotencyKey is { } key && matches(key)).Select(trade => $"catalog journal {trade}")
            .Concat(Logs.SelectMany((log, index) => log.Where(entry => entry.IdempotencyKey is { } key && matches(key)).Select(entry => $"log of replica {index + 1} {entry}")));

    /// <summary>A text form for equality checks and failure messages.</summary>
    public string Describe() =>
        string.Join(",", Quantities.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"))
        + $" | journal {Journal.Count} | logs {string.Join("/", Logs.Select(log => log.Count + ":" + string.Join(";", log.Select(e => $"{e.TransactionNumber}{e.IdempotencyKey}"))))} | invalidations {Invalidations}";
}
