using System.Globalization;
using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>Where each service of the cluster under test answers.</summary>
internal sealed record ChaosEndpoints(Uri FrontEnd, Uri Catalog, IReadOnlyList<(string Name, Uri Url)> Replicas)
{
    /// <summary>Every front-end the clients use; the first is <see cref="FrontEnd"/>.</summary>
    public IReadOnlyList<Uri> FrontEnds { get; init; } = [FrontEnd];
}

/// <summary>Where the history starts: the catalog's quantities, its journal position and the highest logged number before the load.</summary>
internal sealed record Baseline(IReadOnlyDictionary<string, long> Quantities, long JournalSequence, long Transaction);

/// <summary>Reads the cluster's state over HTTP: the catalog's stocks and journal, each replica's log and ping.</summary>
internal sealed class ClusterProbe(HttpClient http, ChaosEndpoints endpoints)
{
    private const int JournalPage = 10_000;

    public ChaosEndpoints Endpoints => endpoints;

    public async Task<StockQuote[]?> ReadStocksAsync(CancellationToken cancellationToken) =>
        (await ChaosHttp.TryGetAsync(http, new Uri(endpoints.Catalog, Routes.Stocks), ChaosJsonContext.Default.DataEnvelopeStockQuoteArray, cancellationToken))?.Data;

    public async Task<StockQuote?> LookupAsync(string name, CancellationToken cancellationToken) =>
        (await ChaosHttp.TryGetAsync(http, new Uri(endpoints.FrontEnd, Routes.Stock(name)), ChaosJsonContext.Default.DataEnvelopeStockQuote, cancellationToken))?.Data;

    public Task<PingReply?> PingAsync(Uri replica, CancellationToken cancellationToken) =>
        ChaosHttp.TryGetAsync(http, new Uri(replica, Routes.Ping), ChaosJsonContext.Default.PingReply, cancellationToken);

    public async Task<OrderEntry[]?> ReadLogAsync(Uri replica, long after, CancellationToken cancellationToken) =>
        (await ChaosHttp.TryGetAsync(http, new Uri(replica, Routes.MissingOrdersAfter(after)), ChaosJsonContext.Default.DataEnvelopeOrderEntryArray, cancellationToken))?.Data;

    /// <summary>Every journal entry after <paramref name="after"/>, page by page; null if a page cannot be read.</summary>
    public async Task<List<AppliedTrade>?> ReadJournalAsync(long after, CancellationToken cancellationToken)
    {
        var trades = new List<AppliedTrade>();
        while (true)
        {
            var url = new Uri(endpoints.Catalog, string.Create(CultureInfo.InvariantCulture, $"/trades?after={after}&limit={JournalPage}"));
            var page = (await ChaosHttp.TryGetAsync(http, url, ChaosJsonContext.Default.DataEnvelopeAppliedTradeArray, cancellationToken))?.Data;
            if (page is null)
            {
                return null;
            }

            trades.AddRange(page);
            if (page.Length < JournalPage)
            {
                return trades;
            }

            after = page[^1].Sequence;
        }
    }

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
