using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Orders.Replication;
using StockNet.Protocol;

namespace StockNet.Orders.Recovery;

/// <summary>Asks peers, in parallel and each within the peer timeout, for their state or their whole log.</summary>
public sealed class PeerLogs(OrderReplicaClient client, ClusterTopology topology, IOptions<OrderOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.PeerTimeout;
    private readonly TimeSpan _fenceTimeout = options.Value.FenceTimeout;
    private readonly TimeSpan _quorumTimeout = options.Value.QuorumTimeout > options.Value.FenceTimeout ? options.Value.QuorumTimeout : options.Value.FenceTimeout;

    /// <summary>The whole log of every peer that answered; silent peers are left out.</summary>
    public Task<List<OrderEntry[]>> FetchAllAsync(CancellationToken cancellationToken) => FetchAllAsync(topology.Peers, cancellationToken);

    /// <summary>The whole log of each of <paramref name="peers"/> that answered; silent peers are left out.</summary>
    public async Task<List<OrderEntry[]>> FetchAllAsync(IEnumerable<ReplicaAddress> peers, CancellationToken cancellationToken)
    {
        var fetches = peers.Select(peer => client.GetEntriesAfterAsync(peer.Url, -1, _timeout, cancellationToken));
        var logs = await Task.WhenAll(fetches);
        return [.. logs.OfType<OrderEntry[]>()];
    }

    public Task<OrderEntry[]?> FetchAsync(string baseUrl, CancellationToken cancellationToken) =>
        client.GetEntriesAfterAsync(baseUrl, -1, _timeout, cancellationToken);

    /// <summary>
    /// Announces this replica as leader at <paramref name="epoch"/> to every peer, waiting for all within the fence timeout
    /// and, while fewer than a majority accepted, for the rest within the quorum timeout; returns the peers that accepted
    /// it, or null when one knows a newer epoch.
    /// </summary>
    public async Task<List<ReplicaAddress>?> AnnounceAllAsync(long epoch, CancellationToken cancellationToken)
    {
        var announcement = new LeaderAnnouncement(topology.Self.Url, epoch);
        var peers = topology.Peers.ToList();
        var acks = peers.Select(peer => client.AnnounceAsync(peer.Url, announcement, _quorumTimeout, cancellationToken)).ToArray();
        await MajorityWait.WaitAsync(
            acks, ack => ack == ReplicaAck.Accepted, ack => ack == ReplicaAck.StaleEpoch, topology.Majority - 1, _fenceTimeout, _quorumTimeout, cancellationToken);
        var answered = acks.Select(ack => ack.IsCompletedSuccessfully ? ack.Result : ReplicaAck.Failed).ToArray();
        return answered.Contains(ReplicaAck.StaleEpoch)
            ? null
            : [.. peers.Where((_, i) => answered[i] == ReplicaAck.Accepted)];
    }

    public Task<PingReply?> PingAsync(string baseUrl, CancellationToken cancellationToken) => client.PingAsync(baseUrl, _timeout, cancellationToken);

    /// <summary>Every peer's ping reply, paired with the address we reached it at; silent peers are left out.</summary>
    public async Task<List<(ReplicaAddress Peer, PingReply Reply)>> PingAllAsync(CancellationToken cancellationToken)
    {
        var pings = topology.Peers.Select(async peer => (Peer: peer, Reply: await client.PingAsync(peer.Url, _timeout, cancellationToken)));
        var replies = await Task.WhenAll(pings);
        return [.. replies.Where(r => r.Reply is not null).Select(r => (r.Peer, r.Reply!))];
    }
}
