using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.Orders.Replication;

namespace StockNet.Orders.Clients;

/// <summary>How a follower answered a replicated entry.</summary>
public enum ReplicationAck
{
    Stored,

    /// <summary>The follower has seen a newer epoch: the sender is no longer the leader.</summary>
    StaleEpoch,

    /// <summary>Refused for another reason (for example, the peer thinks it leads this epoch).</summary>
    Refused,

    /// <summary>No answer in time, or the peer is down.</summary>
    Failed,
}

/// <summary>
/// Talks to peer replicas (replication, ping, catch-up). Each call has its own explicit timeout and is
/// never retried here: replication skips a silent follower, catch-up simply asks again later.
/// </summary>
public sealed class OrderReplicaClient(HttpClient http)
{
    /// <summary>Sends entries in one <c>POST /replicate_orders</c> (our batch extension of <c>/replicate_order</c>).</summary>
    public async Task<ReplicationAck> ReplicateBatchAsync(
        string baseUrl, OrderEntry[] entries, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = Deadline(timeout, cancellationToken);
        try
        {
            using var response = await http.PostAsJsonAsync(
                baseUrl + ReplicationRoutes.ReplicateOrders,
                new DataEnvelope<OrderEntry[]>(entries),
                StockNetJsonContext.Default.DataEnvelopeOrderEntryArray,
                cts.Token);
            if (response.IsSuccessStatusCode)
            {
                return ReplicationAck.Stored;
            }

            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var error = await ErrorReader.ReadAsync(response, cts.Token);
                return error?.Type == ErrorTypes.StaleEpoch ? ReplicationAck.StaleEpoch : ReplicationAck.Refused;
            }

            // A server error may pass; a 4xx would be refused again.
            return (int)response.StatusCode >= 500 ? ReplicationAck.Failed : ReplicationAck.Refused;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return ReplicationAck.Failed;
        }
    }

    /// <summary>Tells a peer who leads at which epoch (<c>POST /set_leader</c>), as the front-end does.</summary>
    public async Task<ReplicationAck> AnnounceAsync(
        string baseUrl, LeaderAnnouncement announcement, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = Deadline(timeout, cancellationToken);
        try
        {
            using var response = await http.PostAsJsonAsync(
                baseUrl + Routes.SetLeader, announcement, StockNetJsonContext.Default.LeaderAnnouncement, cts.Token);
            return response.IsSuccessStatusCode ? ReplicationAck.Stored
                : response.StatusCode == HttpStatusCode.Conflict ? ReplicationAck.StaleEpoch
                : ReplicationAck.Refused;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return ReplicationAck.Failed;
        }
    }

    public async Task<PingReply?> PingAsync(string baseUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = Deadline(timeout, cancellationToken);
        try
        {
            return await http.GetFromJsonAsync(baseUrl + Routes.Ping, StockNetJsonContext.Default.PingReply, cts.Token);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>Every entry the peer holds after <paramref name="after"/>, or null when it could not be asked.</summary>
    public async Task<OrderEntry[]?> GetEntriesAfterAsync(string baseUrl, long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = Deadline(timeout, cancellationToken);
        try
        {
            var reply = await http.GetFromJsonAsync(
                baseUrl + Routes.MissingOrdersAfter(after), StockNetJsonContext.Default.DataEnvelopeOrderEntryArray, cts.Token);
            return reply?.Data;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return null;
        }
    }

    private static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        return cts;
    }

    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or JsonException or NotSupportedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
