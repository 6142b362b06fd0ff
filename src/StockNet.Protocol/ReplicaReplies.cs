using StockNet.Contracts;

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

/// <summary>How a log suffix stream (<c>GET /log/suffix</c>) ended.</summary>
public enum SuffixOutcome
{
    /// <summary>Every row of the replica's snapshot was handed over.</summary>
    Complete,

    /// <summary>The replica does not hold the asked position: find the agreement again.</summary>
    Diverged,

    /// <summary>The replica could not be asked, the stream broke, or the receiver stopped it.</summary>
    Failed,
}

/// <summary>The end of a suffix stream: where the replica's snapshot ends and its epoch lines after the asked index.</summary>
public sealed record SuffixEnd(SuffixOutcome Outcome, long Through, IReadOnlyList<EpochStart> Epochs)
{
    public static SuffixEnd Diverged { get; } = new(SuffixOutcome.Diverged, -1, []);

    public static SuffixEnd Failed { get; } = new(SuffixOutcome.Failed, -1, []);
}
