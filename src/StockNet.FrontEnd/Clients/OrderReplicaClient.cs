using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Clients;

/// <summary>
/// Typed client of the order replicas. Every call is one attempt with its own timeout: the caller decides
/// whether to retry (orders are retried only with the same idempotency key, by the forwarder).
/// </summary>
public sealed class OrderReplicaClient
{
    private readonly HttpClient _http;

    public OrderReplicaClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>The replica's ping, or null when it does not answer 200 within <paramref name="timeout"/>.</summary>
    public async Task<ReplicaPing?> PingAsync(ReplicaEndpoint replica, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(replica.Resolve(Routes.Ping), cts.Token);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(FrontEndJsonContext.Default.ReplicaPing, cts.Token)
                : null;
        }
        catch (Exception ex) when (IsNoAnswer(ex, cancellationToken))
        {
            return null;
        }
    }

    public async Task<AnnounceOutcome> AnnounceAsync(
        ReplicaEndpoint replica, LeaderAnnouncement announcement, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await _http.PostAsJsonAsync(
                replica.Resolve(Routes.SetLeader), announcement, StockNetJsonContext.Default.LeaderAnnouncement, cts.Token);
            return response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode => AnnounceOutcome.Accepted,
                HttpStatusCode.Conflict => AnnounceOutcome.StaleEpoch,
                HttpStatusCode.BadRequest => AnnounceOutcome.UnknownLeader,
                _ => AnnounceOutcome.Failed,
            };
        }
        catch (Exception ex) when (IsNoAnswer(ex, cancellationToken))
        {
            return AnnounceOutcome.Failed;
        }
    }

    /// <summary>Forwards an order. Any failure to get an answer, including cancellation, is <see cref="ReplicaReply.NoAnswer"/>.</summary>
    public Task<ReplicaReply> PlaceOrderAsync(
        string leaderUrl, TradeRequest trade, string idempotencyKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(leaderUrl + Routes.Orders))
        {
            Content = JsonContent.Create(trade, StockNetJsonContext.Default.TradeRequest),
        };
        request.Headers.TryAddWithoutValidation(Routes.IdempotencyKeyHeader, idempotencyKey);
        return SendAsync(request, timeout, cancellationToken);
    }

    public Task<ReplicaReply> GetOrderAsync(string leaderUrl, long number, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(leaderUrl + Routes.Order(number))), timeout, cancellationToken);

    private async Task<ReplicaReply> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, cts.Token))
            {
                var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
                return new ReplicaReply((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return ReplicaReply.NoAnswer;
        }
    }

    private static bool IsNoAnswer(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or JsonException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
