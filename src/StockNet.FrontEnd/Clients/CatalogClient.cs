using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Clients;

/// <summary>Typed client of the catalog. One attempt per lookup, bounded by <see cref="FrontEndOptions.CatalogTimeout"/>.</summary>
public sealed class CatalogClient
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly TimeSpan _timeout;

    public CatalogClient(HttpClient http, IOptions<FrontEndOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _baseUrl = options.Value.CatalogUrl.TrimEnd('/');
        _timeout = options.Value.CatalogTimeout;
    }

    /// <summary>Every stock the catalog holds, in its order; null when the catalog does not answer in time.</summary>
    public async Task<StockQuote[]?> GetQuotesAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUrl + Routes.Stocks), timeout.Token);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.DataEnvelopeStockQuoteArray, timeout.Token))?.Data
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public async Task<CatalogReply> GetQuoteAsync(string name, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUrl + Routes.Stock(name)), timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new CatalogReply(CatalogStatus.NotFound);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new CatalogReply(CatalogStatus.Unavailable);
            }

            var envelope = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.DataEnvelopeStockQuote, timeout.Token);
            return envelope?.Data is { } quote ? new CatalogReply(CatalogStatus.Found, quote) : new CatalogReply(CatalogStatus.Unavailable);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new CatalogReply(CatalogStatus.Unavailable);
        }
    }

    /// <summary>True when the catalog's ready endpoint answers 200 within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(_baseUrl + Routes.HealthReady), cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
