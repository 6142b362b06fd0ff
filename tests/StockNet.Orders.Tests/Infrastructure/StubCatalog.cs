using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Orders.Tests.Infrastructure;

/// <summary>
/// A catalog that trades any valid stock, answers "NOPE" with 404, a quantity above 100 with 400
/// insufficient-stock, and a repeated idempotency key with the first result without trading again.
/// </summary>
internal sealed class StubCatalog : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _callsByKey = new();
    private StubServer? _server;

    public string Url => _server!.Url;

    /// <summary>Trades applied (a repeated key is not a trade).</summary>
    public int Trades => _trades;

    public int CallsFor(string key) => _callsByKey.TryGetValue(key, out var count) ? count : 0;

    private int _trades;

    public static async Task<StubCatalog> StartAsync()
    {
        var catalog = new StubCatalog();
        catalog._server = await StubServer.StartAsync(app => app.MapPost("/stocks/{name}", catalog.TradeAsync));
        return catalog;
    }

    private async Task<IResult> TradeAsync(string name, HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, request.HttpContext.RequestAborted);
        if (!TradeRequestReader.TryReadCatalogTrade(body, out var trade, out var error))
        {
            return ApiResults.BadRequest(error);
        }

        var key = RequestBody.IdempotencyKey(request) ?? Guid.NewGuid().ToString();
        if (name == "NOPE")
        {
            return ApiResults.NotFound($"Unknown stock '{name}'.");
        }

        if (trade!.Quantity > 100)
        {
            return ApiResults.BadRequest("Not enough GOOG to buy.", "insufficient-stock");
        }

        if (_callsByKey.AddOrUpdate(key, 1, (_, count) => count + 1) == 1)
        {
            Interlocked.Increment(ref _trades);
        }

        return TypedResults.Ok(new DataEnvelope<StockQuote>(new StockQuote(name, 10m, 100, 1)));
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
