using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Orders.Replication;

/// <summary>
/// Sends each new entry to every follower. In Sync mode the leader replies only after every follower
/// answered or the replication timeout passed, so a committed order is on every live replica before the
/// client hears of it; a follower that stays silent is skipped and catches up from the leader's log later.
/// A follower that answers "stale-epoch" proves a newer leader exists: the caller must step down.
/// Entries travel in batches per follower (<see cref="FollowerPump"/>), which changes nothing above.
/// </summary>
public sealed partial class ReplicationManager : IDisposable
{
    private readonly FollowerPump[] _pumps;
    private readonly TimeSpan _timeout;
    private readonly ReplicationMode _mode;
    private readonly ILogger<ReplicationManager> _logger;

    public ReplicationManager(
        OrderReplicaClient client, ClusterTopology topology, IOptions<OrderOptions> options, ILogger<ReplicationManager> logger)
    {
        _timeout = options.Value.ReplicationTimeout;
        _mode = options.Value.ReplicationMode;
        _logger = logger;
        _pumps = [.. topology.Peers.Select(peer => new FollowerPump(peer, client, _timeout))];
    }

    /// <summary>One pump per follower; <see cref="FollowerPumps"/> runs them.</summary>
    internal IReadOnlyList<FollowerPump> Pumps => _pumps;

    /// <summary>Replicates <paramref name="entry"/>, written at <paramref name="position"/>; returns false when a follower reported a newer epoch.</summary>
    public async Task<bool> ReplicateAsync(OrderEntry entry, LogPosition? position, CancellationToken cancellationToken)
    {
        if (_pumps.Length == 0)
        {
            return true;
        }

        var acks = new Task<ReplicaAck>[_pumps.Length];
        for (var i = 0; i < _pumps.Length; i++)
        {
            acks[i] = _pumps[i].SendAsync(entry, position);
        }

        if (_mode == ReplicationMode.Async)
        {
            return true;
        }

        await WaitAllAsync(acks, cancellationToken);
        var current = true;
        for (var i = 0; i < acks.Length; i++)
        {
            switch (acks[i].IsCompletedSuccessfully ? acks[i].Result : ReplicaAck.Failed)
            {
                case ReplicaAck.StaleEpoch:
                    LogStale(_logger, _pumps[i].Follower.Id, entry.TransactionNumber, entry.Epoch ?? 0);
                    current = false;
                    break;
                case ReplicaAck.Failed or ReplicaAck.Refused:
                    LogSkipped(_logger, _pumps[i].Follower.Id, entry.TransactionNumber);
                    break;
            }
        }

        return current;
    }

    /// <summary>Each follower and the entries it has yet to store.</summary>
    public IEnumerable<(int FollowerId, int Lag)> Lags() => _pumps.Select(pump => (pump.Follower.Id, pump.Lag));

    public void Dispose()
    {
        foreach (var pump in _pumps)
        {
            pump.Complete();
        }
    }

    // One deadline for all followers, counted from the send: a follower stuck behind a slow batch is skipped like
    // a silent one, and no reply waits longer than the replication timeout however many followers are slow.
    private async Task WaitAllAsync(Task<ReplicaAck>[] acks, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(acks).WaitAsync(_timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Whoever has not answered by now is skipped below.
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "Replica {PeerId} refused transaction {TransactionNumber}: epoch {Epoch} is stale")]
    private static partial void LogStale(ILogger logger, int peerId, long transactionNumber, long epoch);

    // Debug, not Information: while a follower is down this fires on every trade.
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug,
        Message = "Replica {PeerId} did not store transaction {TransactionNumber}; it will catch up later")]
    private static partial void LogSkipped(ILogger logger, int peerId, long transactionNumber);
}
