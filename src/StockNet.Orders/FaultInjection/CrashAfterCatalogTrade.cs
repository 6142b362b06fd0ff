using System.Diagnostics;
using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.Orders.FaultInjection;

/// <summary>
/// Decorates the replica's protocol client: when the catalog answers 200 to a batch of trades (<c>POST /trades</c>) that
/// carries an idempotency key starting with the prefix, the process kills itself before the reply reaches the order
/// placement, so the catalog has applied a trade that no log holds yet.
/// </summary>
internal sealed class CrashAfterCatalogTrade(string keyPrefix) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode && await IsMarkedTradeAsync(request, cancellationToken))
        {
            // Kill, not exit: no host shutdown, no flush, exactly like kill -9 from outside.
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }

        return response;
    }

    private async Task<bool> IsMarkedTradeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath != Routes.Trades || request.Content is null)
        {
            return false;
        }

        var batch = JsonSerializer.Deserialize(await request.Content.ReadAsStreamAsync(cancellationToken), StockNetJsonContext.Default.TradeBatch);
        return batch?.Data.Any(trade => trade.IdempotencyKey?.StartsWith(keyPrefix, StringComparison.Ordinal) == true) == true;
    }
}
