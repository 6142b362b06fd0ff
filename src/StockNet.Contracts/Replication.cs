using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>
/// <c>POST /set_leader</c>: the front-end names the leader. <see cref="Epoch"/> is our fencing extension:
/// a replica refuses announcements, orders and replication from an epoch older than the newest it has seen.
/// </summary>
public sealed record LeaderAnnouncement(string LeaderId, long? Epoch = null);

/// <summary>
/// <c>GET /ping</c>. Only <c>status</c>, <c>replica_id</c> and <c>leader_id</c> are the seed's; our extensions have
/// defaults, so a seed replica's reply reads as ready, not leading, at no epoch (null) with no order (-1).
/// </summary>
public sealed record PingReply(
    string? Status,
    int ReplicaId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LeaderId,
    long? Epoch = null,
    bool Ready = true,
    bool IsLeader = false,
    long MaxTransaction = -1)
{
    [JsonIgnore]
    public long EpochOrZero => Epoch ?? 0;
}

/// <summary><c>GET /max_transaction</c>; -1 when the replica holds no order.</summary>
public sealed record MaxTransactionReply(long MaxTransaction);

/// <summary>
/// A position in a replica's append sequence: the <paramref name="Index"/>-th write to its log, made by the leader of
/// <paramref name="Epoch"/>. Only the leader of an epoch assigns positions at it, one index after another, so two logs
/// holding the same position hold the same writes up to it (docs/design.md, "Recovery by append sequence").
/// </summary>
public sealed record LogPosition(long Index, long Epoch);

/// <summary>An entry as a replica's log holds it, with the position of the write that put it there.</summary>
public sealed record LogRecord(OrderEntry Entry, long Index, long Epoch);

/// <summary>One line of a log's epoch history: the leader of <paramref name="Epoch"/> wrote from index <paramref name="Start"/> on.</summary>
public sealed record EpochStart(long Epoch, long Start);

/// <summary>
/// <c>GET /log/position</c>: the highest index up to which the replica holds every write of its history, and that
/// history (one line per epoch, a few dozen bytes each), from which two replicas find where their logs agree.
/// </summary>
public sealed record LogPositionReply(long Index, EpochStart[] Epochs);

/// <summary>
/// <c>POST /replicate_orders</c>: entries in one batch and, from a leader that numbers writes, each entry's position
/// (<see cref="Positions"/>[i] belongs to <see cref="Data"/>[i]). A batch without positions is stored outside the
/// sequence, to be compared at the next recovery.
/// </summary>
public sealed record ReplicationBatch(OrderEntry[] Data, LogPosition[]? Positions = null);
