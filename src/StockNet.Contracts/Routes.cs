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
    public const string GetMissingOrders = "/get_missing_orders";
    public const string MaxTransaction = "/max_transaction";
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

    public static string MissingOrdersAfter(long number) => $"{GetMissingOrders}/{number}";
}
