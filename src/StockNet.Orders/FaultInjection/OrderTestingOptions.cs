using StockNet.Hosting;

namespace StockNet.Orders.FaultInjection;

/// <summary>
/// Fault hooks for integration tests only, bound from "Orders:Testing"; every one is off by default, and one that
/// is on refuses to start unless fault injection is allowed (see <see cref="FaultInjectionGate"/>).
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

    public bool IsOn => !string.IsNullOrEmpty(CrashAfterCatalogKeyPrefix);
}
