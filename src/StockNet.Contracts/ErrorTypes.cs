namespace StockNet.Contracts;

/// <summary>
/// The stable <c>type</c> of every error the services answer, in <c>{"error": {"code", "message", "type"}}</c>.
/// Clients branch on these, never on the message; docs/api.md lists them.
/// </summary>
public static class ErrorTypes
{
    /// <summary>The request is malformed: a body, a path value, a query value or a header the contract does not allow.</summary>
    public const string BadRequest = "bad-request";

    /// <summary>No stock has that name.</summary>
    public const string UnknownStock = "unknown-stock";

    /// <summary>A buy asked for more shares than the catalog holds; nothing changed.</summary>
    public const string InsufficientStock = "insufficient-stock";

    /// <summary>No order has that number.</summary>
    public const string UnknownOrder = "unknown-order";

    /// <summary>The number was reserved for a trade the catalog refused: it never became an order (410).</summary>
    public const string OrderNotExecuted = "order-not-executed";

    /// <summary>The number is logged but its trade is not confirmed yet (404).</summary>
    public const string OrderPending = "order-pending";

    /// <summary>
    /// The <c>Idempotency-Key</c> was used before for a different trade (422). The same key with the same body
    /// answers the first result instead.
    /// </summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";

    /// <summary>No route has that path.</summary>
    public const string NotFound = "not-found";

    /// <summary>The route exists but not for this method (405).</summary>
    public const string MethodNotAllowed = "method-not-allowed";

    /// <summary>The body is larger than the contract allows (413).</summary>
    public const string BodyTooLarge = "body-too-large";

    /// <summary>The URL is longer than the contract allows (414).</summary>
    public const string UrlTooLong = "url-too-long";

    /// <summary>The request's headers are larger than the contract allows (431).</summary>
    public const string HeadersTooLarge = "headers-too-large";

    /// <summary>The body's media type is not JSON (415).</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>The catalog did not answer; nothing is known to have changed.</summary>
    public const string CatalogUnavailable = "catalog-unavailable";

    /// <summary>The front-end reached no order leader within its failover budget.</summary>
    public const string NoLeader = "no-leader";

    /// <summary>This replica is not the order leader (403); the front-end elects another.</summary>
    public const string NotLeader = "not-leader";

    /// <summary>This replica is becoming the leader and is still recovering (503).</summary>
    public const string Recovering = "recovering";

    /// <summary>
    /// The leader could not store the order on a majority of the replicas and stepped down (503). The trade may have
    /// executed: a retry with the same <c>Idempotency-Key</c> on the new leader answers its number without trading again.
    /// </summary>
    public const string NoQuorum = "no-quorum";

    /// <summary>The sender's epoch is older than this replica's (409).</summary>
    public const string StaleEpoch = "stale-epoch";

    /// <summary>This replica leads its epoch and takes no replicated orders (409).</summary>
    public const string NotFollower = "not-follower";

    /// <summary>A log suffix was asked after a position this replica's log does not hold (409): find the agreement again.</summary>
    public const string LogDiverged = "log-diverged";

    /// <summary>The service is up but not ready to take traffic (503 on <c>/health/ready</c>): starting, recovering or catching up.</summary>
    public const string NotReady = "not-ready";

    /// <summary>The service cannot answer now (503) for a reason it does not name; retry shortly.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>A leader announcement names a URL outside this replica's list (400): the lists spell a host differently.</summary>
    public const string UnknownReplica = "unknown-replica";

    /// <summary>This client sent more requests than its limit allows (429, with Retry-After); nothing changed.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>The request ran past the service's request timeout and was abandoned (503); an order may or may not have been placed: retry with the same Idempotency-Key.</summary>
    public const string Timeout = "timeout";

    /// <summary>Never expected: a bug, logged by the service (500).</summary>
    public const string Internal = "internal";

    /// <summary>
    /// 401, nothing changed: an internal route without a valid cluster credential, or a read-only route (metrics,
    /// status, dashboard) without its token or with a wrong one.
    /// </summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>An authenticated caller whose credentials do not open this route.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The type an error of <paramref name="status"/> gets when its source names none (a bare answer passed on).</summary>
    public static string ForStatus(int status) => status switch
    {
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => BodyTooLarge,
        414 => UrlTooLong,
        415 => UnsupportedMediaType,
        431 => HeadersTooLarge,
        >= 500 and not 503 => Internal,
        503 => Unavailable,
        _ => BadRequest,
    };
}
