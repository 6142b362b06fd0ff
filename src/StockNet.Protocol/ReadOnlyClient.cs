using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>
/// The read-only routes of any service (<c>/status</c>, <c>/cache/contents</c>, <c>/metrics</c>), as
/// <c>stocknet status</c>, <c>load</c> and <c>bench</c> read them. They take the read-only token (sent as a
/// bearer token, which the signing handler leaves alone), never the cluster key. One attempt per call, bounded
/// by the timeout given at construction; nothing is retried here.
/// </summary>
public sealed class ReadOnlyClient
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _token;
    private readonly TimeSpan _timeout;

    public ReadOnlyClient(HttpClient http, string? token, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _token = token is { Length: > 0 } ? new AuthenticationHeaderValue("Bearer", token) : null;
        _timeout = timeout;
    }

    /// <summary><c>GET /status</c> of a front-end; without an answer, why (an HTTP status, none in time, unreachable).</summary>
    public async Task<StatusReading> GetStatusAsync(Uri frontEnd, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await SendAsync(new Uri(frontEnd, Routes.Status), deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new StatusReading(null, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }

            var status = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.ClusterStatus, deadline.Token);
            return new StatusReading(status, status is null ? "empty answer" : null);
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return new StatusReading(null, ex is OperationCanceledException ? "no answer in time" : "unreachable");
        }
    }

    /// <summary><c>GET /cache/contents</c> of a front-end, from event <paramref name="after"/> on; null without an answer.</summary>
    public Task<CacheContents?> GetCacheContentsAsync(Uri frontEnd, long? after, CancellationToken cancellationToken) =>
        GetAsync(new Uri(frontEnd, Routes.CacheContentsAfter(after)), StockNetJsonContext.Default.CacheContents, cancellationToken);

    /// <summary><c>GET /metrics</c> read whole, as Prometheus scrapes it; true when a non-empty page came back.</summary>
    public async Task<bool> ScrapeMetricsAsync(Uri service, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await SendAsync(new Uri(service, Routes.Metrics), deadline.Token);
            var page = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return response.IsSuccessStatusCode && page.Length > 0;
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return false;
        }
    }

    private async Task<T?> GetAsync<T>(Uri uri, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await SendAsync(uri, deadline.Token);
            return await ReplyReader.ReadAsync(response, typeInfo, deadline.Token);
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = _token;
        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }
}

/// <summary>A front-end's <c>/status</c>, or why there is none (<see cref="Error"/>).</summary>
public sealed record StatusReading(ClusterStatus? Status, string? Error);
