using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Orders.Clients;

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
    private readonly CancellationTokenSource _stopping = new();

    public ReplicationManager(
        OrderReplicaClient client, ClusterTopology topology, IOptions<OrderOptions> options, ILogger<ReplicationManager> logger)
    {
        _timeout = options.Value.ReplicationTimeout;
        _mode = options.Value.ReplicationMode;
        _logger = logger;
        _pumps = [.. topology.Peers.Select(peer => new FollowerPump(peer, client, _timeout, _stopping.Token))];
    }

    /// <summary>Replicates <paramref name="entry"/>; returns false when a follower reported a newer epoch.</summary>
    public async Task<bool> ReplicateAsync(OrderEntry entry, CancellationToken cancellationToken)
    {
        if (_pumps.Length == 0)
        {
            return true;
        }

        var acks = new Task<ReplicationAck>[_pumps.Length];
        for (var i = 0; i < _pumps.Length; i++)
        {
            acks[i] = _pumps[i].SendAsync(entry);
        }

        if (_mode == ReplicationMode.Async)
        {
            return true;
        }

        var current = true;
        for (var i = 0; i < acks.Length; i++)
        {
            switch (await WaitAsync(acks[i], cancellationToken))
            {
                case ReplicationAck.StaleEpoch:
                    LogStale(_logger, _pumps[i].Follower.Id, entry.TransactionNumber, entry.Epoch ?? 0);
                    current = false;
                    break;
                case ReplicationAck.Failed or ReplicationAck.Refused:
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

        _stopping.Cancel();
        _stopping.Dispose();
    }

    // The deadline counts from the send: a follower stuck behind a slow batch is skipped like a silent one.
    private async Task<ReplicationAck> WaitAsync(Task<ReplicationAck> ack, CancellationToken cancellationToken)
    {
        try
        {
            return await ack.WaitAsync(_timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return ReplicationAck.Failed;
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
