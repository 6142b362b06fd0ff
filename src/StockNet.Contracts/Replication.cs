using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>
/// <c>POST /set_leader</c>: the front-end names the leader. <see cref="Epoch"/> is our fencing extension:
/// a replica refuses announcements, orders and replication from an epoch older than the newest it has seen.
/// </summary>
public sealed record LeaderAnnouncement(string LeaderId, long? Epoch = null);

/// <summary><c>GET /ping</c>. Only <c>status</c>, <c>replica_id</c> and <c>leader_id</c> are the seed's.</summary>
public sealed record PingReply(
    string Status,
    int ReplicaId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LeaderId,
    long Epoch,
    bool Ready,
    bool IsLeader,
    long MaxTransaction);

/// <summary><c>GET /max_transaction</c>; -1 when the replica holds no order.</summary>
public sealed record MaxTransactionReply(long MaxTransaction);
