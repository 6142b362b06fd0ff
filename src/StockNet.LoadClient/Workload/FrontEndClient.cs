using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Contracts;

namespace StockNet.LoadClient.Workload;

/// <summary>The reply to one measured request. <see cref="Status"/> is 0 when no HTTP reply came (timeout, refused connection).</summary>
public readonly record struct Reply<T>(
    int Status, T? Value, long StartTimestamp, long EndTimestamp, bool CacheHit = false, string? ErrorType = null)
    where T : class
{
    public bool IsSuccess => Status is >= 200 and < 300 && Value is not null;
}

/// <summary>
/// The three public requests of the front-end, timed from just before the request is sent until the
/// whole reply body is read. One instance is shared by every worker: HttpClient is thread-safe and its
/// pooled keep-alive connections are what a real client would use.
/// </summary>
public sealed class FrontEndClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;

    // Absolute URIs built once per stock: a relative one would be parsed and combined with the base on every request.
    private readonly ConcurrentDictionary<string, Uri> _stockUris = new(StringComparer.Ordinal);
    private readonly Uri _ordersUri;

    public FrontEndClient(Uri baseAddress, int maxConnections, TimeSpan timeout)
    {
        // Enough connections that the client never queues behind its own pool, and no automatic
        // redirects or decompression to spend time on: the contract has neither.
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout };
        _ordersUri = new Uri(baseAddress, Routes.Orders);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<Reply<StockQuote>> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var uri = _stockUris.GetOrAdd(name, static (stock, baseAddress) => new Uri(baseAddress, Routes.Stock(stock)), BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeStockQuote, cancellationToken);
        return new Reply<StockQuote>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp, reply.CacheHit);
    }

    public async Task<Reply<OrderPlaced>> TradeAsync(TradeRequest trade, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _ordersUri);
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(trade, StockNetJsonContext.Default.TradeRequest));
        body.Headers.ContentType = JsonMediaType;
        request.Content = body;
        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeOrderPlaced, cancellationToken);
        return new Reply<OrderPlaced>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp, ErrorType: reply.ErrorType);
    }

    public async Task<Reply<OrderRecord>> QueryOrderAsync(long number, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, Routes.Order(number)));
        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeOrderRecord, cancellationToken);
        return new Reply<OrderRecord>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp);
    }

    /// <summary>GET of any path returning the raw JSON document, for cache statistics and health; null on any failure.</summary>
    public async Task<JsonDocument?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonDocument.Parse(bytes);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<Reply<TEnvelope>> SendAsync<TEnvelope>(
        HttpRequestMessage request, JsonTypeInfo<TEnvelope> typeInfo, CancellationToken cancellationToken)
        where TEnvelope : class
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var end = Stopwatch.GetTimestamp();
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return new Reply<TEnvelope>(status, null, start, end, ErrorType: TryDeserialize(bytes, StockNetJsonContext.Default.ApiError)?.Error.Type);
            }

            return new Reply<TEnvelope>(status, TryDeserialize(bytes, typeInfo), start, end, IsCacheHit(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Reply<TEnvelope>(0, null, start, Stopwatch.GetTimestamp());
        }
    }

    private static T? TryDeserialize<T>(byte[] bytes, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo);
        }
        catch (JsonException)
        {
            // A reply that is not the contract's shape is a failure of the service, counted by the caller.
            return null;
        }
    }

    // NonValidated: the raw header value, without the parsing and allocation of the validated view.
    private static bool IsCacheHit(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(Routes.CacheHeader, out var values)
        && values.ToString().Equals("HIT", StringComparison.OrdinalIgnoreCase);
}
