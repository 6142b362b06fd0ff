using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Orders.Replication;
using StockNet.Protocol;

namespace StockNet.Orders.Recovery;

/// <summary>
/// Asks peers, in parallel and each within its timeout, for their state, or for the part of their log that may
/// differ from ours: where their history and ours agree, and every row they wrote after that.
/// </summary>
public sealed class PeerLogs(OrderReplicaClient client, ClusterTopology topology, IOptions<OrderOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.PeerTimeout;
    private readonly TimeSpan _fenceTimeout = options.Value.FenceTimeout;
    private readonly TimeSpan _quorumTimeout = options.Value.QuorumTimeout > options.Value.FenceTimeout ? options.Value.QuorumTimeout : options.Value.FenceTimeout;
    private readonly TimeSpan _suffixTimeout = options.Value.SuffixTimeout;

    public async Task<LogHistory?> PositionAsync(string baseUrl, CancellationToken cancellationToken) =>
        await client.GetLogPositionAsync(baseUrl, _timeout, cancellationToken) is { } reply ? LogHistory.From(reply) : null;

    /// <summary>Streams the peer's rows written after (<paramref name="after"/>, <paramref name="epoch"/>) to <paramref name="onPage"/>.</summary>
    public Task<SuffixEnd> ReadSuffixAsync(string baseUrl, long after, long epoch, Func<List<LogRecord>, bool> onPage, CancellationToken cancellationToken) =>
        client.ReadSuffixAsync(baseUrl, after, epoch, OrderLog.PageSize, onPage, _suffixTimeout, cancellationToken);

    /// <summary>The peer's rows written after the last index where its history and <paramref name="ours"/> agree; null when it could not be read.</summary>
    public async Task<PeerSuffix?> PullSuffixAsync(ReplicaAddress peer, LogHistory ours, CancellationToken cancellationToken)
    {
        if (await PositionAsync(peer.Url, cancellationToken) is not { } theirs)
        {
            return null;
        }

        var agreed = LogHistory.Agreement(ours, theirs);
        var records = new List<LogRecord>();
        var end = await ReadSuffixAsync(peer.Url, agreed, theirs.EpochAt(agreed) ?? 0, page =>
        {
            records.AddRange(page);
            return true;
        }, cancellationToken);
        return end.Outcome == SuffixOutcome.Complete ? new PeerSuffix(peer, agreed, records) : null;
    }

    /// <summary>The peer's rows at <paramref name="numbers"/>, asked a page at a time; null when a page could not be read.</summary>
    public async Task<List<LogRecord>?> FetchRecordsAsync(string baseUrl, IReadOnlyList<long> numbers, CancellationToken cancellationToken)
    {
        var records = new List<LogRecord>();
        foreach (var chunk in numbers.Chunk(LogSync.MaxNumbers))
        {
            if (await client.GetRecordsAsync(baseUrl, chunk, _timeout, cancellationToken) is not { } page)
            {
                return null;
            }

            records.AddRange(page);
        }

        return records;
    }

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

/// <summary>A peer's rows written after <paramref name="Agreed"/>, the last index where its log and ours hold the same write.</summary>
public sealed record PeerSuffix(ReplicaAddress Peer, long Agreed, List<LogRecord> Records);
