using System.Net;
using System.Net.Http.Json;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>
/// The typed client of the catalog: lookups (the front-end), trades and the journal (the order leader), and the
/// whole stock list (chaos). Every call is one attempt bounded by the timeout given at construction; nothing is
/// retried here. A trade carries the order's idempotency key, so a trade sent again (by the same leader or by a new
/// one after a failover) is applied at most once by the catalog.
/// </summary>
public sealed class CatalogClient
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly TimeSpan _timeout;

    public CatalogClient(HttpClient http, Uri baseUrl, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        _baseUrl = baseUrl.AbsoluteUri;
        _timeout = timeout;
    }

    /// <summary><c>GET /stocks/{name}</c>: found, not found, or unavailable (down, slow, or a reply that is not the contract's).</summary>
    public async Task<CatalogReply> GetQuoteAsync(string name, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(ReplyReader.Resolve(_baseUrl, Routes.Stock(name)), deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new CatalogReply(CatalogStatus.NotFound);
            }

            var envelope = await ReplyReader.ReadAsync(response, StockNetJsonContext.Default.DataEnvelopeStockQuote, deadline.Token);
            return envelope?.Data is { } quote ? new CatalogReply(CatalogStatus.Found, quote) : new CatalogReply(CatalogStatus.Unavailable);
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return new CatalogReply(CatalogStatus.Unavailable);
        }
    }

    /// <summary><c>GET /stocks</c>: every stock, or null when the catalog does not answer.</summary>
    public async Task<StockQuote[]?> GetQuotesAsync(CancellationToken cancellationToken) =>
        (await ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(_baseUrl, Routes.Stocks), StockNetJsonContext.Default.DataEnvelopeStockQuoteArray, _timeout, cancellationToken))?.Data;

    /// <summary>
    /// <c>POST /trades</c>: every trade of <paramref name="trades"/> (each with its order's key and reserved number) in one
    /// request, one outcome per trade in order. A repeated key is answered with the number journaled the first time,
    /// which its outcome carries. A batch without a whole answer (no reply in time, or one that is not the contract's)
    /// makes every outcome <see cref="CatalogOutcome.Unavailable"/>: each of those trades may or may not have been applied.
    /// A batch refused whole (400 with the contract's error: nothing was changed) makes every outcome that refusal.
    /// </summary>
    public async Task<CatalogOutcome[]> TradeBatchAsync(IReadOnlyList<BatchedTrade> trades, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trades);
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await _http.PostAsJsonAsync(
                ReplyReader.Resolve(_baseUrl, Routes.Trades), new TradeBatch([.. trades]), StockNetJsonContext.Default.TradeBatch, deadline.Token);
            if (response.StatusCode == HttpStatusCode.BadRequest && await ReplyReader.ReadErrorAsync(response, deadline.Token) is { } error)
            {
                // Refused whole before anything changed: each trade is refused with the batch's reason.
                var refused = new CatalogOutcome(400, error.Message, error.Type ?? ErrorTypes.BadRequest);
                return [.. Enumerable.Repeat(refused, trades.Count)];
            }

            var envelope = await ReplyReader.ReadAsync(response, StockNetJsonContext.Default.DataEnvelopeTradeResultArray, deadline.Token);
            // A null in place of a result is not the contract's either: no answer for the batch, not an exception.
            if (envelope?.Data is { } results && results.Length == trades.Count && Array.TrueForAll(results, result => result is not null))
            {
                return Array.ConvertAll(results, CatalogOutcome.For);
            }
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            // Answered below, like a reply that is not the contract's.
        }

        return [.. Enumerable.Repeat(CatalogOutcome.Unavailable, trades.Count)];
    }

    /// <summary>True when the catalog's ready endpoint answers 200 within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(timeout, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(ReplyReader.Resolve(_baseUrl, Routes.HealthReady), deadline.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>
    /// One page of the catalog's journal after <paramref name="after"/>, in sequence order; null when the catalog
    /// does not answer it (down, slow, or a catalog without a journal).
    /// </summary>
    public async Task<AppliedTrade[]?> ReadJournalAsync(long after, int limit, CancellationToken cancellationToken) =>
        (await ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(_baseUrl, Routes.JournalPage(after, limit)), StockNetJsonContext.Default.DataEnvelopeAppliedTradeArray, _timeout, cancellationToken))?.Data;

    /// <summary>Every journal entry after <paramref name="after"/>, page by page; null if a page cannot be read.</summary>
    public async Task<List<AppliedTrade>?> ReadWholeJournalAsync(long after, CancellationToken cancellationToken)
    {
        var trades = new List<AppliedTrade>();
        while (true)
        {
            var page = await ReadJournalAsync(after, Limits.MaxJournalPage, cancellationToken);
            if (page is null)
            {
                return null;
            }

            trades.AddRange(page);
            if (page.Length < Limits.MaxJournalPage)
            {
                return trades;
            }

            after = page[^1].Sequence;
        }
    }
}
