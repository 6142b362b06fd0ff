namespace StockNet.Contracts;

/// <summary>Paths and headers of the wire contract (docs/api.md), in one place.</summary>
public static class Routes
{
    public const string Stocks = "/stocks";
    public const string Orders = "/orders";
    public const string Invalidate = "/invalidate";
    public const string Ping = "/ping";
    public const string SetLeader = "/set_leader";
    public const string ReplicateOrder = "/replicate_order";

    /// <summary>
    /// Our batch extension of <c>/replicate_order</c>, between order replicas: <c>{"data": [entry, ...]}</c>, fenced
    /// and stored in one transaction. Under load it turns many round trips and commits into one.
    /// </summary>
    public const string ReplicateOrders = "/replicate_orders";

    public const string GetMissingOrders = "/get_missing_orders";
    public const string MaxTransaction = "/max_transaction";

    /// <summary>
    /// The catalog's journal of committed trades: <c>GET /trades?after={seq}&amp;limit={n}</c>. <c>POST /trades</c> appends to
    /// it: a <see cref="TradeBatch"/> (the order leader's trades waiting for the catalog, at most
    /// <see cref="Limits.MaxTradeBatch"/>) applied in one transaction, one <see cref="TradeResult"/> per trade in order.
    /// </summary>
    public const string Trades = "/trades";

    /// <summary>The front-end's cache counters.</summary>
    public const string CacheStats = "/cache/stats";

    /// <summary>Between order replicas: a replica's append-sequence position and epoch history (<see cref="LogPositionReply"/>).</summary>
    public const string LogPosition = "/log/position";

    /// <summary>
    /// Between order replicas: <c>GET /log/suffix/{index}?epoch={e}</c> streams, from one snapshot, every entry written
    /// after position (index, e) as a JSON array of <see cref="LogRecord"/>; 409 <c>log-diverged</c> when this log does
    /// not hold that position. The snapshot's position and the epoch history after index come in
    /// <see cref="LogThroughHeader"/> and <see cref="LogEpochsHeader"/>.
    /// </summary>
    public const string LogSuffix = "/log/suffix";

    /// <summary>Between order replicas: <c>POST /log/entries</c> with <c>{"data": [numbers]}</c> answers the entries held at those numbers.</summary>
    public const string LogEntries = "/log/entries";

    /// <summary>Reply header of <see cref="LogSuffix"/>: the index up to which the snapshot holds every write.</summary>
    public const string LogThroughHeader = "X-Log-Through";

    /// <summary>Reply header of <see cref="LogSuffix"/>: the epoch history after the asked index, as <c>epoch:start,epoch:start</c>.</summary>
    public const string LogEpochsHeader = "X-Log-Epochs";

    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";

    /// <summary>Prometheus scrape endpoint on every service (read-only token).</summary>
    public const string Metrics = "/metrics";

    /// <summary>Front-end: the cluster's state as one JSON document, what <c>stocknet status</c> shows (read-only token).</summary>
    public const string Status = "/status";

    /// <summary>Front-end: the live dashboard page, its assets and its event stream (read-only token).</summary>
    public const string Dashboard = "/dashboard";

    /// <summary>Front-end: the Server-Sent Events stream that feeds the dashboard.</summary>
    public const string DashboardEvents = "/dashboard/events";

    /// <summary>Front-end: the cache's entries in LRU order and its recent hits, misses, evictions and invalidations (read-only token).</summary>
    public const string CacheContents = "/cache/contents";

    /// <summary>Optional client header; the front-end makes one per request when absent.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Order leader to catalog, and back: the order number the leader reserved for a trade. The catalog journals
    /// it with the trade and answers a repeated key with the first attempt's number, so an order keeps its number
    /// whoever logs it later (the leader, its successor's retry, or reconciliation).
    /// </summary>
    public const string TransactionNumberHeader = "X-Transaction-Number";

    /// <summary>Front-end reply header on lookups: HIT or MISS.</summary>
    public const string CacheHeader = "X-Cache";

    public static string Stock(string name) => $"{Stocks}/{Uri.EscapeDataString(name)}";

    public static string Order(long number) => $"{Orders}/{number}";

    public static string InvalidateStock(string name) => $"{Invalidate}/{Uri.EscapeDataString(name)}";

    /// <summary>One page of the catalog's journal: the entries after sequence <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public static string JournalPage(long after, int limit) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Trades}?after={after}&limit={limit}");

    public static string MissingOrdersAfter(long number) => $"{GetMissingOrders}/{number}";

    public static string LogSuffixAfter(long index, long epoch) => $"{LogSuffix}/{index}?epoch={epoch}";

    /// <summary>The cache's contents with the events after <paramref name="after"/>; all of them when null.</summary>
    public static string CacheContentsAfter(long? after) =>
        after is { } from ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{CacheContents}?after={from}") : CacheContents;
}
