using System.Diagnostics;
using StockNet.Contracts;

namespace StockNet.Orders.FaultInjection;

/// <summary>
/// Decorates the replica's protocol client: when the catalog answers 200 to a trade (<c>POST /stocks/{name}</c>)
/// whose idempotency key starts with the prefix, the process kills itself before the reply reaches the order
/// placement, so the catalog has applied a trade that no log holds yet.
/// </summary>
internal sealed class CrashAfterCatalogTrade(string keyPrefix) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && IsMarkedTrade(request))
        {
            // Kill, not exit: no host shutdown, no flush, exactly like kill -9 from outside.
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }

        return response;
    }

    private bool IsMarkedTrade(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post
        && request.RequestUri?.AbsolutePath.StartsWith(Routes.Stocks + "/", StringComparison.Ordinal) == true
        && request.Headers.TryGetValues(Routes.IdempotencyKeyHeader, out var keys)
        && keys.Any(key => key.StartsWith(keyPrefix, StringComparison.Ordinal));
}
