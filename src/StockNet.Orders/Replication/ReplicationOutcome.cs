namespace StockNet.Orders.Replication;

/// <summary>What replicating one entry proved about its leader.</summary>
public enum ReplicationOutcome
{
    /// <summary>A majority of the replicas (the leader counts) holds the entry: it may be acknowledged.</summary>
    Committed,

    /// <summary>A follower knows a newer epoch: another leader was named, and this one must step down.</summary>
    Superseded,

    /// <summary>
    /// Too few followers stored it in time: the leader may be cut off from the others, who may be electing a new leader
    /// right now. It must not acknowledge the entry and steps down.
    /// </summary>
    NoQuorum,
}
