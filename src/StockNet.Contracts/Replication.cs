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
