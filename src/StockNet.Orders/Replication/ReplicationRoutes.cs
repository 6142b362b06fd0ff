namespace StockNet.Orders.Replication;

/// <summary>Routes only order replicas speak among themselves, beyond the wire contract.</summary>
public static class ReplicationRoutes
{
    /// <summary>
    /// A batch of <c>/replicate_order</c> entries as <c>{"data": [entry, ...]}</c>, fenced and stored in one
    /// transaction. Under load it turns many round trips and commits into one.
    /// </summary>
    public const string ReplicateOrders = "/replicate_orders";

    /// <summary>A batch body may hold up to <see cref="FollowerPump.MaxBatch"/> entries, past the contract's 4 KB limit.</summary>
    public const long MaxBatchBodyBytes = 1024 * 1024;
}
