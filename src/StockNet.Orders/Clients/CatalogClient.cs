using System.Net;
using System.Net.Http.Json;
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
    private readonly TimeSpan _timeout = options.Value.CatalogTimeout;

    public async Task<CatalogOutcome> TradeAsync(TradeRequest trade, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Stock(trade.Name))
        {
            Content = JsonContent.Create(new CatalogTrade(trade.Type, trade.Quantity), StockNetJsonContext.Default.CatalogTrade),
        };
        request.Headers.TryAddWithoutValidation(Routes.IdempotencyKeyHeader, idempotencyKey);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => CatalogOutcome.Traded,
                HttpStatusCode.BadRequest => await RefusalAsync(response, 400, "The catalog refused the trade.", timeout.Token),
                HttpStatusCode.NotFound => await RefusalAsync(response, 404, $"Unknown stock '{trade.Name}'.", timeout.Token),
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

    private static async Task<CatalogOutcome> RefusalAsync(HttpResponseMessage response, int status, string fallback, CancellationToken cancellationToken)
    {
        var error = await ErrorReader.ReadAsync(response, cancellationToken);
        return new CatalogOutcome(status, error?.Message ?? fallback, error?.Type);
    }
}
