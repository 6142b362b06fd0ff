using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Orders.Clients;

namespace StockNet.Orders.Replication;

/// <summary>
/// Sends each new entry to every follower. In Sync mode the leader replies only after every follower
/// answered or timed out, so a committed order is on every live replica before the client hears of it;
/// a follower that stays silent is skipped and catches up from the leader's log later. A follower that
/// answers "stale-epoch" proves a newer leader exists: the caller must step down.
/// </summary>
public sealed partial class ReplicationManager(
    OrderReplicaClient client,
    ClusterTopology topology,
    IOptions<OrderOptions> options,
    ILogger<ReplicationManager> logger)
{
    private readonly TimeSpan _timeout = options.Value.ReplicationTimeout;
    private readonly ReplicationMode _mode = options.Value.ReplicationMode;

    /// <summary>Replicates <paramref name="entry"/>; returns false when a follower reported a newer epoch.</summary>
    public async Task<bool> ReplicateAsync(OrderEntry entry, CancellationToken cancellationToken)
    {
        var peers = topology.Peers;
        if (peers.Count == 0)
        {
            return true;
        }

        if (_mode == ReplicationMode.Async)
        {
            _ = SendToAllAsync(peers, entry, CancellationToken.None);
            return true;
        }

        return await SendToAllAsync(peers, entry, cancellationToken);
    }

    private async Task<bool> SendToAllAsync(IReadOnlyList<ReplicaAddress> peers, OrderEntry entry, CancellationToken cancellationToken)
    {
        var sends = new Task<ReplicationAck>[peers.Count];
        for (var i = 0; i < peers.Count; i++)
        {
            sends[i] = client.ReplicateAsync(peers[i].Url, entry, _timeout, cancellationToken);
        }

        var current = true;
        for (var i = 0; i < sends.Length; i++)
        {
            switch (await sends[i])
            {
                case ReplicationAck.StaleEpoch:
                    LogStale(logger, peers[i].Id, entry.TransactionNumber, entry.Epoch ?? 0);
                    current = false;
                    break;
                case ReplicationAck.Failed or ReplicationAck.Refused:
                    LogSkipped(logger, peers[i].Id, entry.TransactionNumber);
                    break;
            }
        }

        return current;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "Replica {PeerId} refused transaction {TransactionNumber}: epoch {Epoch} is stale")]
    private static partial void LogStale(ILogger logger, int peerId, long transactionNumber, long epoch);

    // Debug, not Information: while a follower is down this fires on every trade.
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug,
        Message = "Replica {PeerId} did not store transaction {TransactionNumber}; it will catch up later")]
    private static partial void LogSkipped(ILogger logger, int peerId, long transactionNumber);
}
