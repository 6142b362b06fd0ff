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

/// <summary>
/// What a <c>/set_leader</c> announcement led to and the role it left, decided under the state's lock: the caller acts on
/// this role (recovers at its epoch), never on one read after the lock, which a later announcement may already have replaced.
/// </summary>
public readonly record struct Announcement(AnnouncementOutcome Outcome, RoleSnapshot Role);

/// <summary>
/// Whether a replicated entry may be stored, and the epoch it was checked at: an entry that carries no epoch (a seed
/// leader's) is stored at this one, never at an epoch read after the check, so the log's store judges it against the
/// epoch it passed the fence at.
/// </summary>
public readonly record struct ReplicationFence(ReplicationCheck Check, long Epoch);

/// <summary>Whether a replicated entry may be stored.</summary>
public enum ReplicationCheck
{
    Accept,
    Stale,
    NotFollower,
}
