using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace StockNet.Orders.Testing;

/// <summary>The test-only crash of <see cref="OrderTestingOptions.CrashAfterCatalogKeyPrefix"/>; does nothing unless configured.</summary>
public sealed class CrashHook(IOptions<OrderTestingOptions> options)
{
    private readonly string? _prefix = string.IsNullOrEmpty(options.Value.CrashAfterCatalogKeyPrefix) ? null : options.Value.CrashAfterCatalogKeyPrefix;

    public void AfterCatalogApplied(string idempotencyKey)
    {
        if (_prefix is not null && idempotencyKey.StartsWith(_prefix, StringComparison.Ordinal))
        {
            // Kill, not exit: no host shutdown, no flush, exactly like kill -9 from outside.
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
