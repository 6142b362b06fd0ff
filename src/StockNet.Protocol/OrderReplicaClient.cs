using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Protocol;

/// <summary>
/// The typed client of the order replicas, for the front-end (election, forwarding), the replicas themselves
/// (replication, fencing, catch-up) and the tools (probes). A replica is named per call by its base URL, as the
/// leader_id names it on the wire. Every call is one attempt with the caller's deadline and is never retried
/// here: the forwarder retries an order only with the same idempotency key, replication skips a silent follower,
/// and catch-up asks again later.
/// </summary>
public sealed class OrderReplicaClient
{
    private readonly HttpClient _http;

    public OrderReplicaClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary><c>GET /ping</c>, or null when the replica does not answer 200 in time.</summary>
    public Task<PingReply?> PingAsync(string baseUrl, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(baseUrl, Routes.Ping), StockNetJsonContext.Default.PingReply, timeout, cancellationToken);

    /// <summary><c>POST /set_leader</c>: who leads at which epoch. A 409 means the replica has seen a newer epoch.</summary>
    public async Task<ReplicaAck> AnnounceAsync(
        string baseUrl, LeaderAnnouncement announcement, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(timeout, cancellationToken);
        try
        {
            using var response = await _http.PostAsJsonAsync(
                ReplyReader.Resolve(baseUrl, Routes.SetLeader), announcement, StockNetJsonContext.Default.LeaderAnnouncement, deadline.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.Conflict => ReplicaAck.StaleEpoch,
                HttpStatusCode.BadRequest => ReplicaAck.UnknownLeader,
                _ => Ack(response),
            };
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return ReplicaAck.Failed;
        }
    }

    /// <summary>
    /// Sends entries, with their positions in the leader's append sequence when it has them, in one
    /// <c>POST /replicate_orders</c> (our batch extension of <c>/replicate_order</c>).
    /// </summary>
    public async Task<ReplicaAck> ReplicateAsync(
        string baseUrl, OrderEntry[] entries, LogPosition[]? positions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(timeout, cancellationToken);
        try
        {
            using var response = await _http.PostAsJsonAsync(
                ReplyReader.Resolve(baseUrl, Routes.ReplicateOrders),
                new ReplicationBatch(entries, positions),
                StockNetJsonContext.Default.ReplicationBatch,
                deadline.Token);
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                return Ack(response);
            }

            // A conflict is either a newer epoch (the sender lost office) or a peer that thinks it leads this epoch.
            var error = await ReplyReader.ReadErrorAsync(response, deadline.Token);
            return error?.Type == ErrorTypes.StaleEpoch ? ReplicaAck.StaleEpoch : ReplicaAck.Refused;
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return ReplicaAck.Failed;
        }
    }

    /// <summary><c>GET /get_missing_orders/{n}</c>: every entry the replica holds after <paramref name="after"/>, or null when it could not be asked.</summary>
    public async Task<OrderEntry[]?> GetEntriesAfterAsync(string baseUrl, long after, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(baseUrl, Routes.MissingOrdersAfter(after)), StockNetJsonContext.Default.DataEnvelopeOrderEntryArray, timeout, cancellationToken))?.Data;

    /// <summary><c>GET /log/position</c>: the replica's append-sequence position and epoch history, or null when it could not be asked.</summary>
    public Task<LogPositionReply?> GetLogPositionAsync(string baseUrl, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(baseUrl, Routes.LogPosition), StockNetJsonContext.Default.LogPositionReply, timeout, cancellationToken);

    /// <summary>
    /// <c>GET /log/suffix/{after}?epoch=</c>: streams the replica's rows written after (<paramref name="after"/>,
    /// <paramref name="epoch"/>), handing them to <paramref name="onPage"/> <paramref name="pageSize"/> at a time (false
    /// stops); answers where the replica's snapshot ends, or a diverged or failed end.
    /// </summary>
    public async Task<SuffixEnd> ReadSuffixAsync(
        string baseUrl, long after, long epoch, int pageSize, Func<List<LogRecord>, bool> onPage, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(timeout, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(
                ReplyReader.Resolve(baseUrl, Routes.LogSuffixAfter(after, epoch)), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return SuffixEnd.Diverged;
            }

            var through = response.Headers.TryGetValues(Routes.LogThroughHeader, out var values) && long.TryParse(values.FirstOrDefault(), out var index) ? index : -1;
            var epochs = response.Headers.TryGetValues(Routes.LogEpochsHeader, out var lines) ? LogSync.ParseEpochs(lines.FirstOrDefault()) : new List<EpochStart>();
            if (!response.IsSuccessStatusCode || through < 0 || epochs is null)
            {
                return SuffixEnd.Failed;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var page = new List<LogRecord>(pageSize);
            await foreach (var record in JsonSerializer.DeserializeAsyncEnumerable(body, StockNetJsonContext.Default.LogRecord, deadline.Token))
            {
                page.Add(record!);
                if (page.Count == pageSize)
                {
                    if (!onPage(page))
                    {
                        return SuffixEnd.Failed;
                    }

                    page = new List<LogRecord>(pageSize);
                }
            }

            return page.Count > 0 && !onPage(page) ? SuffixEnd.Failed : new SuffixEnd(SuffixOutcome.Complete, through, epochs);
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return SuffixEnd.Failed;
        }
    }

    /// <summary><c>POST /log/entries</c>: the replica's rows at <paramref name="numbers"/> (at most <see cref="LogSync.MaxNumbers"/>), or null when it could not be asked.</summary>
    public async Task<LogRecord[]?> GetRecordsAsync(string baseUrl, long[] numbers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(timeout, cancellationToken);
        try
        {
            using var response = await _http.PostAsJsonAsync(
                ReplyReader.Resolve(baseUrl, Routes.LogEntries), new DataEnvelope<long[]>(numbers), StockNetJsonContext.Default.DataEnvelopeInt64Array, deadline.Token);
            return (await ReplyReader.ReadAsync(response, StockNetJsonContext.Default.DataEnvelopeLogRecordArray, deadline.Token))?.Data;
        }
        catch (Exception ex) when (ReplyReader.IsNoAnswer(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary><c>GET /max_transaction</c>: the highest number the replica holds (-1 for none), or null when it does not answer.</summary>
    public async Task<long?> GetMaxTransactionAsync(string baseUrl, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await ReplyReader.GetOrNullAsync(
            _http, ReplyReader.Resolve(baseUrl, Routes.MaxTransaction), StockNetJsonContext.Default.MaxTransactionReply, timeout, cancellationToken))?.MaxTransaction;

    /// <summary>
    /// Forwards an order (<c>POST /orders</c> with its key) and keeps the reply's bytes, so the front-end passes it
    /// through unchanged. <paramref name="attempt"/> is the attempt's whole deadline: the forwarder's one token per
    /// attempt, which also ends when its leader is replaced. Any failure to get an answer, including cancellation, is
    /// <see cref="ReplicaReply.NoAnswer"/>.
    /// </summary>
    public Task<ReplicaReply> PlaceOrderAsync(string baseUrl, TradeRequest trade, string idempotencyKey, CancellationToken attempt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ReplyReader.Resolve(baseUrl, Routes.Orders))
        {
            Content = JsonBytesContent.Create(trade, StockNetJsonContext.Default.TradeRequest),
        };
        request.Headers.TryAddWithoutValidation(Routes.IdempotencyKeyHeader, idempotencyKey);
        return ForwardAsync(request, attempt);
    }

    /// <summary>Forwards <c>GET /orders/{n}</c>, as <see cref="PlaceOrderAsync"/> does.</summary>
    public Task<ReplicaReply> GetOrderAsync(string baseUrl, long number, CancellationToken attempt) =>
        ForwardAsync(new HttpRequestMessage(HttpMethod.Get, ReplyReader.Resolve(baseUrl, Routes.Order(number))), attempt);

    private static ReplicaAck Ack(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? ReplicaAck.Accepted
        : (int)response.StatusCode >= 500 ? ReplicaAck.Failed // a server error may pass
        : ReplicaAck.Refused; // a 4xx would be refused again

    private async Task<ReplicaReply> ForwardAsync(HttpRequestMessage request, CancellationToken attempt)
    {
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, attempt))
            {
                var body = await response.Content.ReadAsByteArrayAsync(attempt);
                return new ReplicaReply((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return ReplicaReply.NoAnswer;
        }
    }
}
