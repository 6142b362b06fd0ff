namespace StockNet.Protocol;

/// <summary>How a replica took an announcement (<c>/set_leader</c>) or a replicated batch.</summary>
public enum ReplicaAck
{
    Accepted,

    /// <summary>409 "stale-epoch": the replica has seen a newer epoch; the sender no longer leads.</summary>
    StaleEpoch,

    /// <summary>400 "unknown-replica" to an announcement: the announced URL is not in the replica's own list, spelled differently there.</summary>
    UnknownLeader,

    /// <summary>Refused for another reason (for example, the peer thinks it leads this epoch); asking again gets the same.</summary>
    Refused,

    /// <summary>No answer in time, the peer is down, or it failed with a server error.</summary>
    Failed,
}

/// <summary>
/// A replica's answer to a forwarded request, body kept as bytes so it passes through unchanged.
/// <see cref="Status"/> 0 means no answer: a transport error, a timeout or a cancellation.
/// </summary>
public sealed record ReplicaReply(int Status, byte[] Body, TimeSpan? RetryAfter = null)
{
    public static ReplicaReply NoAnswer { get; } = new(0, []);

    public bool Answered => Status != 0;

    /// <summary>The error's stable type, such as "recovering" or "not-leader", when the body is a contract error.</summary>
    public string? ErrorType() => ReplyReader.ErrorType(Body);
}
