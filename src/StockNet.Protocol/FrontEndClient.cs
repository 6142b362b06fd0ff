using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>
/// The typed client of the front-end: the three public requests (as <c>load</c>, <c>bench</c> and <c>chaos</c> send
/// them), each timed from just before it is sent until the whole reply is read, and the catalog's cache
/// invalidation. One instance may serve every worker: HttpClient is thread-safe and its pooled keep-alive
/// connections are what a real client would use. Nothing is retried here; a caller that retries a trade sends
/// the same idempotency key again.
/// </summary>
public sealed class FrontEndClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new(MediaTypes.Json);

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    // Absolute URIs built once per stock: a relative one would be parsed and combined with the base on every request.
    private readonly ConcurrentDictionary<string, Uri> _stockUris = new(StringComparer.Ordinal);
    private readonly Uri _ordersUri;

    public FrontEndClient(HttpClient http, Uri baseAddress, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        _http = http;
        _timeout = timeout;
        BaseAddress = baseAddress;
        _ordersUri = new Uri(baseAddress, Routes.Orders);
    }

    public Uri BaseAddress { get; }

    /// <summary><c>GET /stocks/{name}</c>, with whether the front-end's cache answered it.</summary>
    public async Task<Reply<StockQuote>> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var uri = _stockUris.GetOrAdd(name, static (stock, baseAddress) => new Uri(baseAddress, Routes.Stock(stock)), BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeStockQuote, cancellationToken);
        return new Reply<StockQuote>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp, reply.CacheHit);
    }

    /// <summary><c>POST /orders</c>; with no <paramref name="idempotencyKey"/> the front-end makes one, so a retry would be a new order.</summary>
    public async Task<Reply<OrderPlaced>> TradeAsync(TradeRequest trade, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _ordersUri);
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(trade, StockNetJsonContext.Default.TradeRequest));
        body.Headers.ContentType = JsonMediaType;
        request.Content = body;
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(Routes.IdempotencyKeyHeader, idempotencyKey);
        }

        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeOrderPlaced, cancellationToken);
        return new Reply<OrderPlaced>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp, ErrorType: reply.ErrorType);
    }

    /// <summary><c>GET /orders/{n}</c>.</summary>
    public async Task<Reply<OrderRecord>> QueryOrderAsync(long number, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, Routes.Order(number)));
        var reply = await SendAsync(request, StockNetJsonContext.Default.DataEnvelopeOrderRecord, cancellationToken);
        return new Reply<OrderRecord>(reply.Status, reply.Value?.Data, reply.StartTimestamp, reply.EndTimestamp, ErrorType: reply.ErrorType);
    }

    /// <summary>
    /// The catalog's <c>POST /invalidate/{name}</c>: the status the front-end answered. Timeouts and transport
    /// errors throw, so the publisher can tell them apart and decide whether to try again.
    /// </summary>
    public async Task<int> InvalidateAsync(CacheInvalidated invalidation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invalidation);
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        using var response = await _http.PostAsJsonAsync(
            new Uri(BaseAddress, Routes.InvalidateStock(invalidation.Name)), invalidation, StockNetJsonContext.Default.CacheInvalidated, deadline.Token);
        return (int)response.StatusCode;
    }

    private async Task<Reply<TEnvelope>> SendAsync<TEnvelope>(
        HttpRequestMessage request, JsonTypeInfo<TEnvelope> typeInfo, CancellationToken cancellationToken)
        where TEnvelope : class
    {
        var start = Stopwatch.GetTimestamp();
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            var end = Stopwatch.GetTimestamp();
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return new Reply<TEnvelope>(status, null, start, end, ErrorType: ReplyReader.ErrorType(bytes));
            }

            return new Reply<TEnvelope>(status, TryDeserialize(bytes, typeInfo), start, end, IsCacheHit(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
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

/// <summary>The reply to one timed request. <see cref="Status"/> is 0 when no HTTP reply came (timeout, refused connection).</summary>
public readonly record struct Reply<T>(
    int Status, T? Value, long StartTimestamp, long EndTimestamp, bool CacheHit = false, string? ErrorType = null)
    where T : class
{
    public bool IsSuccess => Status is >= 200 and < 300 && Value is not null;
}
