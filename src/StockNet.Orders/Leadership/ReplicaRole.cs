namespace StockNet.Orders.Leadership;

/// <summary>The three roles of a replica.</summary>
public enum ReplicaRole
{
    /// <summary>Stores what the leader replicates; refuses orders with 403.</summary>
    Follower,

    /// <summary>Named leader, merging the peers' logs; answers orders with 503 until done.</summary>
    RecoveringLeader,

    /// <summary>Takes orders and replicates them.</summary>
    Leader,
}

/// <summary>An immutable view of the role: swapped whole, so readers never see a role from one epoch with a leader from another.</summary>
public sealed record RoleSnapshot(ReplicaRole Role, string? LeaderUrl, long Epoch);

/// <summary>What a <c>/set_leader</c> announcement led to.</summary>
public enum AnnouncementOutcome
{
    /// <summary>Older than the newest epoch seen; refused.</summary>
    Stale,

    /// <summary>Repeats what we already hold; nothing to do.</summary>
    Unchanged,

    /// <summary>We are the new leader and must recover before taking orders.</summary>
    StartRecovery,

    /// <summary>We follow a new leader and must resync from it.</summary>
    StartResync,
}

/// <summary>Whether a replicated entry may be stored.</summary>
public enum ReplicationCheck
{
    Accept,
    Stale,
    NotFollower,
}
