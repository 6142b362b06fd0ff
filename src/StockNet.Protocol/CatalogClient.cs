using System.Globalization;
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
    /// <c>POST /stocks/{name}</c> with the order's key, journaling <paramref name="transactionNumber"/> with it when
    /// given; a repeated key is answered with the number journaled the first time, which the outcome carries.
    /// </summary>
    public async Task<CatalogOutcome> TradeAsync(
        TradeRequest trade, string idempotencyKey, long? transactionNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trade);
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, ReplyReader.Resolve(_baseUrl, Routes.Stock(trade.Name)))
        {
            Content = JsonContent.Create(new CatalogTrade(trade.Type, trade.Quantity), StockNetJsonContext.Default.CatalogTrade),
        };
        request.Headers.TryAddWithoutValidation(Routes.IdempotencyKeyHeader, idempotencyKey);
        if (transactionNumber is { } reserved)
        {
            request.Headers.TryAddWithoutValidation(Routes.TransactionNumberHeader, reserved.ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => CatalogOutcome.TradedAs(JournaledNumber(response)),
                HttpStatusCode.BadRequest => await RefusalAsync(response, 400, "The catalog refused the trade.", ErrorTypes.BadRequest, deadline.Token),
                HttpStatusCode.NotFound => await RefusalAsync(response, 404, $"Unknown stock '{trade.Name}'.", ErrorTypes.UnknownStock, deadline.Token),
                HttpStatusCode.UnprocessableEntity => await RefusalAsync(
                    response, 422, "The idempotency key was used before for a different trade.", ErrorTypes.IdempotencyKeyReused, deadline.Token),
                _ => CatalogOutcome.Unavailable,
            };
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return CatalogOutcome.Unavailable;
        }
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

    private static long? JournaledNumber(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Routes.TransactionNumberHeader, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    // A catalog older than the error types may answer without one; the status then implies it.
    private static async Task<CatalogOutcome> RefusalAsync(
        HttpResponseMessage response, int status, string fallback, string fallbackType, CancellationToken cancellationToken)
    {
        var error = await ReplyReader.ReadErrorAsync(response, cancellationToken);
        return new CatalogOutcome(status, error?.Message ?? fallback, error?.Type ?? fallbackType);
    }
}
