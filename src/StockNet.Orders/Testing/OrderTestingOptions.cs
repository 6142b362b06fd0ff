namespace StockNet.Orders.Testing;

/// <summary>
/// Fault hooks for integration tests only; every one is off by default and must never be set in production.
/// Bound from "Orders:Testing".
/// </summary>
public sealed class OrderTestingOptions
{
    public const string SectionName = "Orders:Testing";

    /// <summary>
    /// When set, the leader kills its own process (SIGKILL, no clean-up) right after the catalog applied an
    /// order whose idempotency key starts with this prefix, before the order is logged: the window that
    /// journal reconciliation closes.
    /// </summary>
    public string? CrashAfterCatalogKeyPrefix { get; set; }
}
