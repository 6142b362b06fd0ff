using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StockNet.Contracts;

namespace StockNet.Orders.Clients;

/// <summary>
/// The leader's typed client for the catalog. Every trade carries the order's idempotency key, so a
/// trade sent again (by us or by a new leader after a failover) is applied at most once by the catalog.
/// There are no automatic retries: the front-end retries with the same key.
/// </summary>
public sealed class CatalogClient(HttpClient http, IOptions<OrderOptions> options)
{
    /// <summary>The catalog's journal of applied trades (<c>GET /trades?after=&amp;limit=</c>).</summary>
    public const string JournalPath = "/trades";

    private readonly TimeSpan _timeout = options.Value.CatalogTimeout;

    public Task<CatalogOutcome> TradeAsync(TradeRequest trade, string idempotencyKey, CancellationToken cancellationToken) =>
        TradeAsync(trade, idempotencyKey, transactionNumber: null, cancellationToken);

    /// <summary>
    /// Trades, journaling <paramref name="transactionNumber"/> with the key; a repeated key is answered with the
    /// number journaled the first time, which the outcome carries.
    /// </summary>
    public async Task<CatalogOutcome> TradeAsync(TradeRequest trade, string idempotencyKey, long? transactionNumber, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Stock(trade.Name))
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
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => CatalogOutcome.TradedAs(JournaledNumber(response)),
                HttpStatusCode.BadRequest => await RefusalAsync(response, 400, "The catalog refused the trade.", ErrorTypes.BadRequest, timeout.Token),
                HttpStatusCode.NotFound => await RefusalAsync(response, 404, $"Unknown stock '{trade.Name}'.", ErrorTypes.UnknownStock, timeout.Token),
                HttpStatusCode.UnprocessableEntity => await RefusalAsync(
                    response, 422, "The idempotency key was used before for a different trade.", ErrorTypes.IdempotencyKeyReused, timeout.Token),
                _ => CatalogOutcome.Unavailable,
            };
        }
        catch (HttpRequestException)
        {
            return CatalogOutcome.Unavailable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CatalogOutcome.Unavailable;
        }
    }

    /// <summary>
    /// One page of the catalog's journal after <paramref name="after"/>, in sequence order; null when the
    /// catalog does not answer it (down, slow, or a catalog without a journal).
    /// </summary>
    public async Task<AppliedTrade[]?> ReadJournalAsync(long after, int limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            var uri = string.Create(CultureInfo.InvariantCulture, $"{JournalPath}?after={after}&limit={limit}");
            using var response = await http.GetAsync(uri, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var page = await response.Content.ReadFromJsonAsync(OrdersJsonContext.Default.DataEnvelopeAppliedTradeArray, timeout.Token);
            return page?.Data;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static long? JournaledNumber(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Routes.TransactionNumberHeader, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    // A catalog older than the error types may answer without one; the status then implies it.
    private static async Task<CatalogOutcome> RefusalAsync(
        HttpResponseMessage response, int status, string fallback, string fallbackType, CancellationToken cancellationToken)
    {
        var error = await ErrorReader.ReadAsync(response, cancellationToken);
        return new CatalogOutcome(status, error?.Message ?? fallback, error?.Type ?? fallbackType);
    }
}
