namespace StockNet.Contracts;

/// <summary>
/// Every size limit of the wire contract, in one place, so that the front-end, the catalog and the order replicas
/// refuse the same input. docs/design.md lists them beside the routes.
/// </summary>
public static class Limits
{
    /// <summary>
    /// The longest <c>Idempotency-Key</c> any service accepts. Keys are stored with every journaled trade and every
    /// log entry, and travel in each replication batch, so a bound keeps a client from filling them.
    /// </summary>
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>Bodies of the public contract are a few dozen bytes; a longer one is refused with a 413.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024;

    /// <summary>The longest request target (path and query) a service reads; a longer one is refused with a 414.</summary>
    public const int MaxRequestTargetLength = 2 * 1024;

    /// <summary>The largest header block (names and values) a service reads; a larger one is refused with a 431.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>A <c>/replicate_orders</c> batch may be larger than any public body: up to this many bytes.</summary>
    public const long MaxReplicationBatchBodyBytes = 1024 * 1024;

    /// <summary>
    /// The most trades one <c>POST /trades</c> batch carries: the order leader sends every trade waiting for the catalog in
    /// one request, and the catalog applies a batch in one transaction, so the bound is also the largest group commit a
    /// batch forces. 128 is twice the connections of the busiest benchmark; more wait for the next batch.
    /// </summary>
    public const int MaxTradeBatch = 128;

    /// <summary>A <c>POST /trades</c> batch body may be up to this many bytes: <see cref="MaxTradeBatch"/> trades with the longest keys fit.</summary>
    public const long MaxTradeBatchBodyBytes = 256 * 1024;

    /// <summary>A stock name is 1 to this many ASCII letters, digits, '-' or '_'.</summary>
    public const int MaxStockNameLength = 16;

    /// <summary>The largest quantity one trade may carry.</summary>
    public const int MaxQuantity = TradeRequest.MaxQuantity;

    /// <summary>The most journal entries one <c>GET /trades</c> page returns.</summary>
    public const int MaxJournalPage = 10_000;
}
