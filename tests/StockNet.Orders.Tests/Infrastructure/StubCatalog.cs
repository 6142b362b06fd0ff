using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Orders.Tests.Infrastructure;

/// <summary>
/// A catalog (its batch route, <c>POST /trades</c>) that trades any valid stock, answers "NOPE" with unknown-stock, a
/// quantity above 100 with insufficient-stock, and a repeated idempotency key with the first result without trading again.
/// Every applied trade is journaled (<c>GET /trades</c>); a test can add journal entries no order caused,
/// and hold the reply to a key (after the trade is journaled, or after refusing it).
/// </summary>
internal sealed class StubCatalog : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _callsByKey = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();
    private readonly List<AppliedTrade> _journal = [];
    private readonly Lock _journalLock = new();
    private StubServer? _server;

    /// <summary>Set when a held key's trade has been journaled and its reply is waiting.</summary>
    public TaskCompletionSource HeldReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Journals a trade as if applied directly on the catalog (no order placed it); returns its sequence.</summary>
    public long Journal(string? key, string name = "GOOG", int quantity = 1, long? transactionNumber = null)
    {
        lock (_journalLock)
        {
            var sequence = _journal.Count + 1L;
            _journal.Add(new AppliedTrade(sequence, key, name, TradeType.Buy, quantity, 100, sequence, transactionNumber));
            return sequence;
        }
    }

    /// <summary>The reply to a batch with a trade with <paramref name="key"/> waits, after journaling, until the returned source completes.</summary>
    public TaskCompletionSource Hold(string key) =>
        _held.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public string Url => _server!.Url;

    /// <summary>Trades applied (a repeated key is not a trade).</summary>
    public int Trades => _trades;

    public int CallsFor(string key) => _callsByKey.TryGetValue(key, out var count) ? count : 0;

    private int _trades;

    public static async Task<StubCatalog> StartAsync()
    {
        var catalog = new StubCatalog();
        catalog._server = await StubServer.StartAsync(app =>
        {
            app.MapPost(Routes.Trades, catalog.TradeBatchAsync);
            app.MapGet(Routes.Trades, catalog.ReadJournal);
        });
        return catalog;
    }

    /// <summary>Batches the catalog received, with their sizes.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    private async Task<IResult> TradeBatchAsync(HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, request.HttpContext.RequestAborted);
        var batch = System.Text.Json.JsonSerializer.Deserialize(body, StockNetJson.Context.TradeBatch);
        if (batch?.Data is not { Length: > 0 } trades)
        {
            return ApiResults.BadRequest("Not a batch of trades.");
        }

        BatchSizes.Enqueue(trades.Length);
        var results = Array.ConvertAll(trades, Trade);
        foreach (var trade in trades)
        {
            if (trade.IdempotencyKey is { } key && _held.TryGetValue(key, out var hold))
            {
                HeldReached.TrySetResult();
                await hold.Task;
            }
        }

        return TypedResults.Ok(new DataEnvelope<TradeResult[]>(results));
    }

    private TradeResult Trade(BatchedTrade trade)
    {
        if (trade.Name == "NOPE")
        {
            return new TradeResult(ErrorTypes.UnknownStock, Message: $"Unknown stock '{trade.Name}'.");
        }

        if (trade.Quantity > 100)
        {
            return new TradeResult(ErrorTypes.InsufficientStock, Message: "Not enough GOOG to buy.");
        }

        var key = trade.IdempotencyKey ?? Guid.NewGuid().ToString();
        if (_callsByKey.AddOrUpdate(key, 1, (_, count) => count + 1) == 1)
        {
            Interlocked.Increment(ref _trades);
            Journal(key, trade.Name, trade.Quantity);
        }

        return new TradeResult(TradeResult.Executed, new StockQuote(trade.Name, 10m, 100, 1));
    }

    private IResult ReadJournal(long after, int limit)
    {
        var page = new StringBuilder("{\"data\":[");
        lock (_journalLock)
        {
            foreach (var trade in _journal.Where(t => t.Sequence > after).Take(limit))
            {
                var key = trade.IdempotencyKey is null ? "null" : $"\"{trade.IdempotencyKey}\"";
                var number = trade.TransactionNumber is { } n ? n.ToString(CultureInfo.InvariantCulture) : "null";
                page.Append(CultureInfo.InvariantCulture,
                    $"{{\"sequence\":{trade.Sequence},\"idempotency_key\":{key},\"name\":\"{trade.Name}\",\"type\":\"buy\",\"quantity\":{trade.Quantity},\"quantity_after\":100,\"version\":{trade.Version},\"transaction_number\":{number}}},");
            }
        }

        if (page[^1] == ',')
        {
            page.Length--;
        }

        return Results.Text(page.Append("]}").ToString(), MediaTypes.Json);
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
