using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Orders.Replication;

/// <summary>
/// Sends each new entry to every follower. In Sync mode the leader waits until every follower answered or the
/// replication timeout passed, so an acknowledged order is on every live replica; a follower that stays silent is
/// skipped and catches up from the leader's log later. Guarantee: an entry is <see cref="ReplicationOutcome.Committed"/>
/// only when a majority of the replicas (the leader and at least one follower of three) stored it at the leader's
/// epoch, so any later leader, which must fence a majority before it serves, merges it. A follower that answers
/// "stale-epoch" proves a newer leader exists. Either failure means the caller must step down and acknowledge nothing.
/// Async mode (the original design's fire-and-forget) acknowledges without waiting and so without this guarantee.
/// Entries travel in batches per follower (<see cref="FollowerPump"/>), which changes nothing above.
/// </summary>
public sealed partial class ReplicationManager : IDisposable
{
    private readonly FollowerPump[] _pumps;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _quorumTimeout;
    private readonly ReplicationMode _mode;
    private readonly int _majority;
    private readonly ILogger<ReplicationManager> _logger;

    public ReplicationManager(
        OrderReplicaClient client, ClusterTopology topology, IOptions<OrderOptions> options, ILogger<ReplicationManager> logger)
    {
        _timeout = options.Value.ReplicationTimeout;
        _quorumTimeout = options.Value.QuorumTimeout > _timeout ? options.Value.QuorumTimeout : _timeout;
        _mode = options.Value.ReplicationMode;
        _logger = logger;
        _majority = topology.Majority;
        // A batch may take as long as a majority may: an answer after the wait for everyone can still make one.
        _pumps = [.. topology.Peers.Select(peer => new FollowerPump(peer, client, _quorumTimeout))];
    }

    /// <summary>One pump per follower; <see cref="FollowerPumps"/> runs them.</summary>
    internal IReadOnlyList<FollowerPump> Pumps => _pumps;

    /// <summary>Replicates <paramref name="entry"/>, written at <paramref name="position"/>, and says whether it is committed.</summary>
    public Task<ReplicationOutcome> ReplicateAsync(OrderEntry entry, LogPosition? position, CancellationToken cancellationToken) =>
        ReplicateAdmittedAsync(entry, Admit(entry, position), cancellationToken);

    /// <summary>
    /// Gives <paramref name="entry"/> its place in every follower's stream (<see cref="FollowerPump.Admit"/>): called under
    /// the lock that orders the log's writes, so followers receive entries in the order of their positions; the requests
    /// start in <see cref="ReplicateAdmittedAsync"/>, after that lock.
    /// </summary>
    internal FollowerPump.Admission[] Admit(OrderEntry entry, LogPosition? position)
    {
        var admitted = new FollowerPump.Admission[_pumps.Length];
        for (var i = 0; i < _pumps.Length; i++)
        {
            admitted[i] = _pumps[i].Admit(entry, position);
        }

        return admitted;
    }

    /// <summary>Starts the sends <paramref name="admitted"/> holds (every one, before anything else) and says whether the entry is committed.</summary>
    internal async Task<ReplicationOutcome> ReplicateAdmittedAsync(OrderEntry entry, FollowerPump.Admission[] admitted, CancellationToken cancellationToken)
    {
        if (admitted.Length == 0)
        {
            return ReplicationOutcome.Committed;
        }

        var acks = new Task<ReplicaAck>[admitted.Length];
        for (var i = 0; i < admitted.Length; i++)
        {
            acks[i] = admitted[i].StartAsync();
        }

        if (_mode == ReplicationMode.Async)
        {
            return ReplicationOutcome.Committed;
        }

        // One deadline for all followers, counted from the send: a follower stuck behind a slow batch is skipped like a
        // silent one, and no reply waits longer than the replication timeout however many followers are slow, unless
        // a majority needs it.
        await MajorityWait.WaitAsync(
            acks, ack => ack == ReplicaAck.Accepted, ack => ack == ReplicaAck.StaleEpoch, _majority - 1, _timeout, _quorumTimeout, cancellationToken);
        var superseded = false;
        var holders = 1;
        for (var i = 0; i < acks.Length; i++)
        {
            switch (acks[i].IsCompletedSuccessfully ? acks[i].Result : ReplicaAck.Failed)
            {
                case ReplicaAck.Accepted:
                    holders++;
                    break;
                case ReplicaAck.StaleEpoch:
                    LogStale(_logger, _pumps[i].Follower.Id, entry.TransactionNumber, entry.Epoch ?? 0);
                    superseded = true;
                    break;
                default:
                    LogSkipped(_logger, _pumps[i].Follower.Id, entry.TransactionNumber);
                    break;
            }
        }

        if (superseded)
        {
            return ReplicationOutcome.Superseded;
        }

        if (holders < _majority)
        {
            LogNoQuorum(_logger, entry.TransactionNumber, holders, _majority, entry.Epoch ?? 0);
            return ReplicationOutcome.NoQuorum;
        }

        return ReplicationOutcome.Committed;
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

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning,
        Message = "Replica {PeerId} refused transaction {TransactionNumber}: epoch {Epoch} is stale")]
    private static partial void LogStale(ILogger logger, int peerId, long transactionNumber, long epoch);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning,
        Message = "Transaction {TransactionNumber} is held by {Holders} replicas, fewer than the majority of {Majority}: not acknowledged, stepping down from epoch {Epoch}")]
    private static partial void LogNoQuorum(ILogger logger, long transactionNumber, int holders, int majority, long epoch);

    // Debug, not Information: while a follower is down this fires on every trade.
    [LoggerMessage(EventId = 301, Level = LogLevel.Debug,
        Message = "Replica {PeerId} did not store transaction {TransactionNumber}; it will catch up later")]
    private static partial void LogSkipped(ILogger logger, int peerId, long transactionNumber);
}
