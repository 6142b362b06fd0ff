namespace StockNet.Contracts;

/// <summary>
/// When the order leader sends a new entry to its followers: the replicas' <c>Orders:ReplicationMode</c>, and
/// the <c>--replication</c> a local cluster starts them with.
/// </summary>
public enum ReplicationMode
{
    /// <summary>Before replying to the client, waiting for each follower up to the replication timeout.</summary>
    Sync,

    /// <summary>In the background, the design's fire-and-forget; kept to compare throughput.</summary>
    Async,
}
