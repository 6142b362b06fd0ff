using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Chaos;

/// <summary>Where each service of the cluster under test answers.</summary>
internal sealed record ChaosEndpoints(Uri FrontEnd, Uri Catalog, IReadOnlyList<(string Name, Uri Url)> Replicas)
{
    /// <summary>Every front-end the clients use; the first is <see cref="FrontEnd"/>.</summary>
    public IReadOnlyList<Uri> FrontEnds { get; init; } = [FrontEnd];
}

/// <summary>Where the history starts: the catalog's quantities, its journal position and the highest logged number before the load.</summary>
internal sealed record Baseline(IReadOnlyDictionary<string, long> Quantities, long JournalSequence, long Transaction);

/// <summary>Reads the cluster's state through the shared clients: the catalog's stocks and journal, each replica's log and ping.</summary>
internal sealed class ClusterProbe(ProtocolClients clients, ChaosEndpoints endpoints, TimeSpan timeout)
{
    private readonly CatalogClient _catalog = clients.Catalog(endpoints.Catalog, timeout);
    private readonly OrderReplicaClient _replicas = clients.OrderReplicas();

    public ChaosEndpoints Endpoints => endpoints;

    /// <summary>Every front-end's public API, as the load uses them; the first is <see cref="FrontEnd"/>.</summary>
    public IReadOnlyList<FrontEndClient> FrontEnds { get; } = [.. endpoints.FrontEnds.Select(frontEnd => clients.FrontEnd(frontEnd, timeout))];

    /// <summary>The first front-end, as the checks use it.</summary>
    public FrontEndClient FrontEnd => FrontEnds[0];

    public Task<StockQuote[]?> ReadStocksAsync(CancellationToken cancellationToken) => _catalog.GetQuotesAsync(cancellationToken);

    public async Task<StockQuote?> LookupAsync(string name, CancellationToken cancellationToken) =>
        (await FrontEnd.LookupAsync(name, cancellationToken)).Value;

    public Task<PingReply?> PingAsync(Uri replica, CancellationToken cancellationToken) =>
        _replicas.PingAsync(replica.AbsoluteUri, timeout, cancellationToken);

    public Task<OrderEntry[]?> ReadLogAsync(Uri replica, long after, CancellationToken cancellationToken) =>
        _replicas.GetEntriesAfterAsync(replica.AbsoluteUri, after, timeout, cancellationToken);

    /// <summary>Every journal entry after <paramref name="after"/>, page by page; null if a page cannot be read.</summary>
    public Task<List<AppliedTrade>?> ReadJournalAsync(long after, CancellationToken cancellationToken) =>
        _catalog.ReadWholeJournalAsync(after, cancellationToken);

    /// <summary>The history's starting point; null when the catalog or no replica answers.</summary>
    public async Task<Baseline?> ReadBaselineAsync(CancellationToken cancellationToken)
    {
        var stocks = await ReadStocksAsync(cancellationToken);
        var journal = await ReadJournalAsync(-1, cancellationToken);
        if (stocks is null || journal is null)
        {
            return null;
        }

        long transaction = -1;
        foreach (var (_, url) in endpoints.Replicas)
        {
            if (await PingAsync(url, cancellationToken) is { } ping)
            {
                transaction = Math.Max(transaction, ping.MaxTransaction);
            }
        }

        var quantities = stocks.ToDictionary(stock => stock.Name, stock => stock.Quantity, StringComparer.Ordinal);
        return new Baseline(quantities, journal.Count == 0 ? 0 : journal[^1].Sequence, transaction);
    }
}
