using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StockNet.Contracts;
using StockNet.Orders.Placement;
using StockNet.Orders.Tests.Infrastructure;
using StockNet.Protocol;

namespace StockNet.Orders.Tests.Placement;

public sealed class CatalogBatcherTests
{
    private static readonly TimeSpan CatalogTimeout = new OrderOptions().CatalogTimeout;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TradeRequest Buy(int quantity = 1) => new("GOOG", TradeType.Buy, quantity);

    [Fact]
    public async Task TradeAsync_NothingInFlight_SentAloneAtOnce()
    {
        var catalog = new CatalogHandler();
        using var batcher = Batcher(catalog);

        var outcome = await batcher.TradeAsync(Buy(), "k", 7, Token);

        Assert.Equal(200, outcome.Status);
        Assert.Equal(7, outcome.TransactionNumber);
        Assert.Equal([1], catalog.BatchSizes);
        Assert.Equal(new BatchedTrade("GOOG", TradeType.Buy, 1, "k", 7), Assert.Single(catalog.Trades));
    }

    [Fact]
    public async Task TradeAsync_WhileABatchIsInFlight_WaitingTradesSentTogetherWhenItReturns()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);

        var waiting = Enumerable.Range(1, 5).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Token)).ToList();
        await WaitingAsync(batcher, 5);
        release.SetResult();
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal(0, (await first).TransactionNumber);
        Assert.Equal([1L, 2, 3, 4, 5], outcomes.Select(outcome => outcome.TransactionNumber!.Value));
        Assert.Equal([1, 5], catalog.BatchSizes);
    }

    [Fact]
    public async Task TradeAsync_MoreWaitingThanTheBound_SentInBatchesOfAtMostTheBound()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);

        var waiting = Enumerable.Range(1, Limits.MaxTradeBatch + 10).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Token)).ToList();
        await WaitingAsync(batcher, Limits.MaxTradeBatch + 10);
        release.SetResult();
        await Task.WhenAll(waiting.Append(first));

        Assert.Equal([1, Limits.MaxTradeBatch, 10], catalog.BatchSizes);
        Assert.Equal(Limits.MaxTradeBatch + 11, catalog.Trades.Select(trade => trade.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task TradeAsync_BatchUnanswered_EveryTradeOfItUnavailable()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var waiting = Enumerable.Range(1, 3).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Token)).ToList();
        await WaitingAsync(batcher, 3);

        catalog.FailFromNow();
        release.SetResult();
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal(200, (await first).Status);
        Assert.All(outcomes, outcome => Assert.Same(CatalogOutcome.Unavailable, outcome));
        Assert.Equal([1, 3], catalog.BatchSizes);
    }

    [Fact]
    public async Task TradeAsync_CatalogDown_Unavailable()
    {
        using var http = new HttpClient();
        using var batcher = new CatalogBatcher(
            new CatalogClient(http, new Uri(TestPorts.FreeUrl()), CatalogTimeout), Options.Create(new OrderOptions()), TimeProvider.System, NullLogger<CatalogBatcher>.Instance);

        Assert.Same(CatalogOutcome.Unavailable, await batcher.TradeAsync(Buy(), "k", 0, Token));
    }

    [Fact]
    public async Task TradeAsync_WaitedPastTheCatalogTimeout_UnavailableAndNeverSent()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        using var batcher = await StartedAsync(catalog, time);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var late = batcher.TradeAsync(Buy(), "late", 1, Token);
        await WaitingAsync(batcher, 1);

        time.Advance(CatalogTimeout);
        var outcome = await late;
        release.SetResult();
        await first;
        await WaitingAsync(batcher, 0);

        Assert.Same(CatalogOutcome.Unavailable, outcome);
        Assert.Equal([1], catalog.BatchSizes);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey == "late");
    }

    [Fact]
    public async Task TradeAsync_WaitingCallerCancelled_CancelledAndNeverSent()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var aborted = batcher.TradeAsync(Buy(), "aborted", 1, abort.Token);
        var kept = batcher.TradeAsync(Buy(), "kept", 2, Token);
        await WaitingAsync(batcher, 2);

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);
        release.SetResult();

        Assert.Equal(200, (await kept).Status);
        Assert.Equal(200, (await first).Status);
        Assert.Equal([1, 1], catalog.BatchSizes);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey == "aborted");
    }

    [Fact]
    public async Task TradeAsync_RefusedTrades_EachItsOwnOutcome()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);

        var tooMany = batcher.TradeAsync(Buy(CatalogHandler.Stock + 1), "too-many", 1, Token);
        var unknown = batcher.TradeAsync(new TradeRequest("NOPE", TradeType.Buy, 1), "unknown", 2, Token);
        var fine = batcher.TradeAsync(Buy(), "fine", 3, Token);
        await WaitingAsync(batcher, 3);
        release.SetResult();

        Assert.Equal((400, ErrorTypes.InsufficientStock), ((await tooMany).Status, (await tooMany).Type));
        Assert.Equal((404, ErrorTypes.UnknownStock), ((await unknown).Status, (await unknown).Type));
        Assert.Equal((200, 3L), ((await fine).Status, (await fine).TransactionNumber!.Value));
        Assert.Equal(200, (await first).Status);
    }

    // A batch of one in flight, held at the catalog until the returned source completes.
    private static async Task<(Task<CatalogOutcome> First, TaskCompletionSource Release)> FirstInFlightAsync(CatalogBatcher batcher, CatalogHandler catalog)
    {
        var release = catalog.HoldNext();
        var first = batcher.TradeAsync(Buy(), "first", 0, Token);
        await catalog.Held.Task.WaitAsync(Token);
        return (first, release);
    }

    private static Task WaitingAsync(CatalogBatcher batcher, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(batcher.Waiting == count), $"{count} trades waiting for the batch in flight");

    private static CatalogBatcher Batcher(CatalogHandler catalog, TimeProvider? time = null) =>
        new(new CatalogClient(new HttpClient(catalog), new Uri("http://catalog.test"), CatalogTimeout),
            Options.Create(new OrderOptions()), time ?? TimeProvider.System, NullLogger<CatalogBatcher>.Instance);

    private static async Task<CatalogBatcher> StartedAsync(CatalogHandler catalog, TimeProvider? time = null)
    {
        var batcher = Batcher(catalog, time);
        await batcher.StartAsync(Token);
        return batcher;
    }

    /// <summary>
    /// The catalog's batch route in memory: every trade of a known stock within <see cref="Stock"/> executes with its
    /// number; the next batch can be held, and every batch arriving after some point can fail.
    /// </summary>
    private sealed class CatalogHandler : HttpMessageHandler
    {
        public const int Stock = 100;

        private TaskCompletionSource? _hold;
        private volatile bool _failing;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<int> BatchSizes { get; } = new();

        public ConcurrentQueue<BatchedTrade> Trades { get; } = new();

        public TaskCompletionSource HoldNext() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Every batch that arrives from now on fails (500), the one held included if it arrives later.</summary>
        public void FailFromNow() => _failing = true;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(Routes.Trades, request.RequestUri!.AbsolutePath);
            var batch = (await request.Content!.ReadFromJsonAsync(StockNetJsonContext.Default.TradeBatch, cancellationToken))!;
            BatchSizes.Enqueue(batch.Data.Length);
            var failing = _failing;
            if (Interlocked.Exchange(ref _hold, null) is { } hold)
            {
                Held.TrySetResult();
                await hold.Task.WaitAsync(cancellationToken);
            }

            if (failing)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }

            foreach (var trade in batch.Data)
            {
                Trades.Enqueue(trade);
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new DataEnvelope<TradeResult[]>(Array.ConvertAll(batch.Data, Result)), StockNetJsonContext.Default.DataEnvelopeTradeResultArray),
            };
        }

        private static TradeResult Result(BatchedTrade trade) => trade switch
        {
            { Name: "NOPE" } => new TradeResult(ErrorTypes.UnknownStock, Message: "No stock named 'NOPE'."),
            { Quantity: > Stock } => new TradeResult(ErrorTypes.InsufficientStock, Message: "Not enough stock."),
            _ => new TradeResult(TradeResult.Executed, new StockQuote(trade.Name, 1m, Stock - trade.Quantity, 1), trade.TransactionNumber),
        };
    }
}
