using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StockNet.Cluster;
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

    private const string LeftOut = "left-out";

    private const string Bad = "bad";

    // The leader that placed the trade still leads its epoch.
    private static bool Leads() => true;

    [Fact]
    public async Task TradeAsync_NothingInFlight_SentAloneAtOnce()
    {
        var catalog = new CatalogHandler();
        using var batcher = Batcher(catalog);

        var outcome = await batcher.TradeAsync(Buy(), "k", 7, Leads, Token);

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

        var waiting = Enumerable.Range(1, 5).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Leads, Token)).ToList();
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
        // A stopped clock: the budget must not run out on a loaded machine while 100+ trades are queued and sent.
        using var batcher = await StartedAsync(catalog, new FakeTimeProvider(), LongClientTimeout);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);

        var waiting = Enumerable.Range(1, Limits.MaxTradeBatch + 10).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Leads, Token)).ToList();
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
        var waiting = Enumerable.Range(1, 3).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Leads, Token)).ToList();
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
        using var catalogDown = RefusingPort.Hold();
        using var batcher = new CatalogBatcher(
            new CatalogClient(http, new Uri(catalogDown.Url), CatalogTimeout), Options.Create(new OrderOptions()), TimeProvider.System, NullLogger<CatalogBatcher>.Instance);

        Assert.Same(CatalogOutcome.Unavailable, await batcher.TradeAsync(Buy(), "k", 0, Leads, Token));
    }

    [Fact]
    public async Task TradeAsync_WaitedPastTheCatalogTimeout_UnavailableAndNeverSent()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        var (batcher, first, release, late) = await QueuedBehindABatchAsync(catalog, time);
        using var started = batcher;

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
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Token);

        await LeftOutOfTheNextBatchAsync(
            batcher => batcher.TradeAsync(Buy(), LeftOut, 1, Leads, abort.Token),
            async aborted =>
            {
                await abort.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);
            });
    }

    [Fact]
    public async Task TradeAsync_RefusedTrades_EachItsOwnOutcome()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);

        var tooMany = batcher.TradeAsync(Buy(CatalogHandler.Stock + 1), "too-many", 1, Leads, Token);
        var unknown = batcher.TradeAsync(new TradeRequest("NOPE", TradeType.Buy, 1), "unknown", 2, Leads, Token);
        var fine = batcher.TradeAsync(Buy(), "fine", 3, Leads, Token);
        await WaitingAsync(batcher, 3);
        release.SetResult();

        Assert.Equal((400, ErrorTypes.InsufficientStock), ((await tooMany).Status, (await tooMany).Type));
        Assert.Equal((404, ErrorTypes.UnknownStock), ((await unknown).Status, (await unknown).Type));
        Assert.Equal((200, 3L), ((await fine).Status, (await fine).TransactionNumber!.Value));
        Assert.Equal(200, (await first).Status);
    }

    [Fact]
    public async Task TradeAsync_QueuedBehindASlowBatch_AnsweredOnlyOnceItsBatchsRequestEnded()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        var (batcher, first, release, late) = await QueuedBehindABatchAsync(catalog, time);
        using var started = batcher;
        time.Advance(CatalogTimeout * 0.7);
        var second = catalog.HoldNext();
        release.SetResult();
        await first;
        await second.Arrived.Task.WaitAsync(Token);

        // Its own budget ends now; the batch was sent with a fresh one of its own before the fix.
        time.Advance(CatalogTimeout * 0.3);
        var outcome = await late;
        var requestEnded = second.Cancelled.Task.IsCompleted;
        second.Release.TrySetResult();

        Assert.Same(CatalogOutcome.Unavailable, outcome);
        Assert.True(requestEnded, "the trade was answered unavailable while its batch's request could still apply it");
    }

    [Fact]
    public async Task TradeAsync_LessThanAQuarterOfItsBudgetLeft_UnavailableNeverSentAndLaterTradesKeepTheirBudget()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        var (batcher, first, release, late) = await QueuedBehindABatchAsync(catalog, time);
        using var started = batcher;
        time.Advance(CatalogTimeout * 0.8);
        var fresh = batcher.TradeAsync(Buy(), "fresh", 2, Leads, Token);
        await WaitingAsync(batcher, 2);
        var next = catalog.HoldNext();
        release.SetResult();
        await first;
        await next.Arrived.Task.WaitAsync(Token);

        // Past the late trade's deadline, well inside the fresh one's: sent with the late one, its request would end now.
        time.Advance(CatalogTimeout * 0.3);
        next.Release.TrySetResult();

        Assert.Same(CatalogOutcome.Unavailable, await late);
        Assert.Equal((200, 2L), ((await fresh).Status, (await fresh).TransactionNumber!.Value));
        Assert.Equal([1, 1], catalog.BatchSizes);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey == "late");
    }

    [Fact]
    public async Task TradeAsync_LeaderSteppedDownWhileTheTradeWaited_NotLeadingAndNeverSent()
    {
        var leading = true;

        var deposed = await LeftOutOfTheNextBatchAsync(
            batcher => batcher.TradeAsync(Buy(), LeftOut, 1, () => Volatile.Read(ref leading), Token),
            _ =>
            {
                Volatile.Write(ref leading, false);
                return Task.CompletedTask;
            });

        Assert.Same(CatalogBatcher.NotLeading, await deposed);
    }

    [Fact]
    public async Task TradeAsync_NotLeadingWithNothingInFlight_NotLeadingAndNeverSent()
    {
        var catalog = new CatalogHandler();
        using var batcher = Batcher(catalog);

        Assert.Same(CatalogBatcher.NotLeading, await batcher.TradeAsync(Buy(), "deposed", 1, () => false, Token));
        Assert.Empty(catalog.BatchSizes);
    }

    [Fact]
    public async Task TradeAsync_BatchRefusedWhole_EachTradeTheOutcomeOfItsOwnCall()
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var before = batcher.TradeAsync(Buy(), "before", 1, Leads, Token);
        var bad = batcher.TradeAsync(new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1), "bad", 2, Leads, Token);
        var after = batcher.TradeAsync(Buy(), "after", 3, Leads, Token);
        await WaitingAsync(batcher, 3);
        release.SetResult();

        Assert.Equal((200, 1L), ((await before).Status, (await before).TransactionNumber!.Value));
        Assert.Equal((400, ErrorTypes.BadRequest, CatalogHandler.RefusedMessage), ((await bad).Status, (await bad).Type, (await bad).Message));
        Assert.Equal((200, 3L), ((await after).Status, (await after).TransactionNumber!.Value));
        Assert.Equal(200, (await first).Status);

        // The first, the batch refused whole, its halves ("before" alone, then "bad" with "after", refused whole too),
        // and theirs.
        Assert.Equal([1, 3, 1, 2, 1, 1], catalog.BatchSizes);
    }

    [Fact]
    public async Task TradeAsync_OneBadTradeInAFullBatch_ResentInHalvesLogarithmicallyManyRequestsInQueueOrder()
    {
        var catalog = new CatalogHandler();
        // A stopped clock: the budget must not run out on a loaded machine while 100+ trades are queued and sent.
        using var batcher = await StartedAsync(catalog, new FakeTimeProvider(), LongClientTimeout);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        const int BadAt = 77;
        var trades = Enumerable.Range(1, Limits.MaxTradeBatch)
            .Select(i => batcher.TradeAsync(i == BadAt ? new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1) : Buy(), $"k{i}", i, Leads, Token))
            .ToList();
        await WaitingAsync(batcher, Limits.MaxTradeBatch);
        release.SetResult();
        var outcomes = await Task.WhenAll(trades);

        Assert.Equal(200, (await first).Status);
        Assert.Equal((400, ErrorTypes.BadRequest), (outcomes[BadAt - 1].Status, outcomes[BadAt - 1].Type));
        Assert.All(outcomes.Where((_, i) => i != BadAt - 1), outcome => Assert.Equal(200, outcome.Status));

        // The first, the full batch, then two halves a level down to the bad trade alone: 2 + 2·log2(128), not 2 + 128.
        Assert.Equal(2 + (2 * int.Log2(Limits.MaxTradeBatch)), catalog.Requests);
        Assert.Equal(
            Enumerable.Range(1, Limits.MaxTradeBatch).Where(i => i != BadAt).Select(i => $"k{i}").Prepend("first"),
            catalog.Trades.Select(trade => trade.IdempotencyKey));
    }

    [Fact]
    public async Task TradeAsync_BatchRefusedWhole_SentAgainInHalvesOneRequestAtATime()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        using var batcher = await StartedAsync(catalog, time);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var trades = Enumerable.Range(1, 4).Select(i => batcher.TradeAsync(Buy(), $"k{i}", i, Leads, Token)).ToList();
        trades.Add(batcher.TradeAsync(new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1), "bad", 5, Leads, Token));
        await WaitingAsync(batcher, 5);
        var firstResend = catalog.HoldNext(batch => batch is [{ IdempotencyKey: "k1" }, { IdempotencyKey: "k2" }]);
        release.SetResult();
        await firstResend.Arrived.Task.WaitAsync(Token);

        // The deadline passes while the first half is held: resent all at once, the second half was on its way already.
        time.Advance(CatalogTimeout);
        var outcomes = await Task.WhenAll(trades);

        Assert.Equal(200, (await first).Status);
        Assert.All(outcomes, outcome => Assert.Same(CatalogOutcome.Unavailable, outcome));
        Assert.Equal(3, catalog.Requests);
    }

    [Fact]
    public async Task TradeAsync_BatchRefusedWholeAndOneResendRunsOutOfTime_TheOthersKeepTheirOwnAnswers()
    {
        var catalog = new CatalogHandler();
        var time = new FakeTimeProvider();
        using var batcher = await StartedAsync(catalog, time);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var fine = batcher.TradeAsync(Buy(), "fine", 1, Leads, Token);
        var bad = batcher.TradeAsync(new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1), "bad", 2, Leads, Token);
        var slow = batcher.TradeAsync(Buy(), "slow", 3, Leads, Token);
        await WaitingAsync(batcher, 3);
        var slowResend = catalog.HoldNext(batch => batch is [{ IdempotencyKey: "slow" }]);
        release.SetResult();
        await slowResend.Arrived.Task.WaitAsync(Token);

        time.Advance(CatalogTimeout);

        Assert.Same(CatalogOutcome.Unavailable, await slow);
        Assert.Equal((200, 1L), ((await fine).Status, (await fine).TransactionNumber!.Value));
        Assert.Equal((400, ErrorTypes.BadRequest), ((await bad).Status, (await bad).Type));
        Assert.Equal(200, (await first).Status);
    }

    [Fact]
    public async Task TradeAsync_StoppedWhileAResendIsHeld_TradesAnsweredBeforeKeepTheirAnswersTheHeldOnesCancelled()
    {
        // Refused whole, then "a" with "b" answered, then "bad" with "beside" held.
        var (catalog, first, held, trades) = await StoppedWhileAResendIsHeldAsync(
            batch => batch is not [{ IdempotencyKey: "a" }, ..] && batch.Any(trade => trade.IdempotencyKey == Bad), "a", "b", Bad, "beside");

        Assert.Equal(200, (await first).Status);
        Assert.Equal((200, 200), ((await trades["a"]).Status, (await trades["b"]).Status));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trades[Bad]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trades["beside"]);
        Assert.True(held.Cancelled.Task.IsCompleted, "the held request was still open");
        Assert.Equal(4, catalog.Requests);
    }

    [Fact]
    public async Task TradeAsync_StoppedWhileTheFirstHalfIsHeld_TheHalfNotSentAnsweredUnavailableAndNeverSent()
    {
        // Refused whole, then "sent" with "bad" held; "c" with "d" not sent yet.
        var (catalog, first, _, trades) = await StoppedWhileAResendIsHeldAsync(
            batch => batch is [{ IdempotencyKey: "sent" }, { IdempotencyKey: Bad }], "sent", Bad, "c", "d");

        Assert.Equal(200, (await first).Status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trades["sent"]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trades[Bad]);
        Assert.Same(CatalogOutcome.Unavailable, await trades["c"]);
        Assert.Same(CatalogOutcome.Unavailable, await trades["d"]);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey is "c" or "d");
        Assert.Equal(3, catalog.Requests);
    }

    [Fact]
    public Task TradeAsync_CallerGivesUpWhileItsPartOfARefusedBatchWaitsItsTurn_CancelledAndNeverSent() =>
        CallerGivesUpWhileHeldAsync(batch => batch is [{ IdempotencyKey: "a" }, { IdempotencyKey: Bad }]);

    // Its caller gives up while the request carrying its trade is open (the trade may be applied: it is not abandoned
    // then); the catalog then refuses the batch whole, so nothing was applied and its part must leave it out.
    [Fact]
    public Task TradeAsync_CallerGivesUpWhileTheWholeBatchIsOpenThenRefused_CancelledAndItsPartNeverSendsIt() =>
        CallerGivesUpWhileHeldAsync(batch => batch.Length == 4);

    // Four trades wait behind one in flight, the second refused by the catalog; the caller of the third gives up while
    // the catalog holds the request that matches `held`. It is cancelled, never sent, and the others keep their answers.
    private static async Task CallerGivesUpWhileHeldAsync(Func<BatchedTrade[], bool> held)
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog, new FakeTimeProvider(), LongClientTimeout);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var a = batcher.TradeAsync(Buy(), "a", 1, Leads, Token);
        var bad = batcher.TradeAsync(new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1), Bad, 2, Leads, Token);
        var leftOut = batcher.TradeAsync(Buy(), LeftOut, 3, Leads, abort.Token);
        var d = batcher.TradeAsync(Buy(), "d", 4, Leads, Token);
        await WaitingAsync(batcher, 4);
        var hold = catalog.HoldNext(held);
        release.SetResult();
        await hold.Arrived.Task.WaitAsync(Token);

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leftOut);
        hold.Release.SetResult();

        Assert.Equal(200, (await first).Status);
        Assert.Equal(200, (await a).Status);
        Assert.Equal(400, (await bad).Status);
        Assert.Equal(200, (await d).Status);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey == LeftOut);
        Assert.Equal([1, 4, 2, 1, 1, 1], catalog.BatchSizes);
    }

    [Fact]
    public async Task TradeAsync_AloneAndRefusedWhole_RefusedAsItsOwnCallIs()
    {
        var catalog = new CatalogHandler();
        using var batcher = Batcher(catalog);

        var outcome = await batcher.TradeAsync(new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1), "bad", 1, Leads, Token);

        Assert.Equal((400, ErrorTypes.BadRequest, CatalogHandler.RefusedMessage), (outcome.Status, outcome.Type, outcome.Message));
    }

    [Fact]
    public async Task TradeAsync_BatchFailsAfterACallerGaveUp_TheFailureIsObserved()
    {
        var failure = new InvalidOperationException("a bug in the send path");
        var unobserved = new ConcurrentQueue<AggregateException>();
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, args) =>
        {
            if (args.Exception.InnerExceptions.Contains(failure))
            {
                unobserved.Enqueue(args.Exception);
            }
        };
        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            await FailABatchAfterItsCallerGaveUpAsync(failure);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
        }

        Assert.Empty(unobserved);
    }

    // A batch of two, whose first caller gives up once it is sent, fails with failure; the second caller sees it.
    private static async Task FailABatchAfterItsCallerGaveUpAsync(Exception failure)
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var aborted = batcher.TradeAsync(Buy(), "aborted", 1, Leads, abort.Token);
        var kept = batcher.TradeAsync(Buy(), "kept", 2, Leads, Token);
        await WaitingAsync(batcher, 2);
        var second = catalog.HoldNext();
        release.SetResult();
        await first;
        await second.Arrived.Task.WaitAsync(Token);

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);
        second.Release.SetException(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => kept));

        // One more batch, so that nothing of the batcher's still holds the failed one.
        var (next, releaseNext) = await FirstInFlightAsync(batcher, catalog);
        var behind = batcher.TradeAsync(Buy(), "behind", 3, Leads, Token);
        await WaitingAsync(batcher, 1);
        releaseNext.SetResult();
        Assert.Equal(200, (await next).Status);
        Assert.Equal(200, (await behind).Status);
    }

    // Trades under keys (the one named Bad refused, so their batch is refused whole) queued behind a first batch; the
    // resend that hold picks is held at the catalog (on fake time and a long client timeout, so only the stop ends it)
    // while the batcher stops.
    private static async Task<(CatalogHandler Catalog, Task<CatalogOutcome> First, Hold Held, Dictionary<string, Task<CatalogOutcome>> Trades)> StoppedWhileAResendIsHeldAsync(
        Func<BatchedTrade[], bool> hold, params string[] keys)
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog, new FakeTimeProvider(), LongClientTimeout);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var trades = keys.Select((key, i) => (key, batcher.TradeAsync(key == Bad ? new TradeRequest(CatalogHandler.Refused, TradeType.Buy, 1) : Buy(), key, i + 1, Leads, Token)))
            .ToDictionary();
        await WaitingAsync(batcher, keys.Length);
        var held = catalog.HoldNext(hold);
        release.SetResult();
        await held.Arrived.Task.WaitAsync(Token);

        await batcher.StopAsync(Token);
        return (catalog, first, held, trades);
    }

    // A trade queued (by queue, under the key LeftOut) beside another behind a batch in flight, then made to drop out (by
    // dropOut) before that batch returns: the other is sent alone and executes, the one left out never reaches the catalog.
    private static async Task<Task<CatalogOutcome>> LeftOutOfTheNextBatchAsync(
        Func<CatalogBatcher, Task<CatalogOutcome>> queue, Func<Task<CatalogOutcome>, Task> dropOut)
    {
        var catalog = new CatalogHandler();
        using var batcher = await StartedAsync(catalog);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var leftOut = queue(batcher);
        var kept = batcher.TradeAsync(Buy(), "kept", 2, Leads, Token);
        await WaitingAsync(batcher, 2);

        await dropOut(leftOut);
        release.SetResult();

        Assert.Equal(200, (await kept).Status);
        Assert.Equal(200, (await first).Status);
        Assert.Equal([1, 1], catalog.BatchSizes);
        Assert.DoesNotContain(catalog.Trades, trade => trade.IdempotencyKey == LeftOut);
        return leftOut;
    }

    // A trade ("late", on fake time) waiting behind a batch of one that the catalog holds until Release completes.
    private static async Task<(CatalogBatcher Batcher, Task<CatalogOutcome> First, TaskCompletionSource Release, Task<CatalogOutcome> Late)> QueuedBehindABatchAsync(
        CatalogHandler catalog, FakeTimeProvider time)
    {
        var batcher = await StartedAsync(catalog, time);
        var (first, release) = await FirstInFlightAsync(batcher, catalog);
        var late = batcher.TradeAsync(Buy(), "late", 1, Leads, Token);
        await WaitingAsync(batcher, 1);
        return (batcher, first, release, late);
    }

    // A batch of one in flight, held at the catalog until the returned source completes.
    private static async Task<(Task<CatalogOutcome> First, TaskCompletionSource Release)> FirstInFlightAsync(CatalogBatcher batcher, CatalogHandler catalog)
    {
        var hold = catalog.HoldNext();
        var first = batcher.TradeAsync(Buy(), "first", 0, Leads, Token);
        await hold.Arrived.Task.WaitAsync(Token);
        return (first, hold.Release);
    }

    private static Task WaitingAsync(CatalogBatcher batcher, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(batcher.Waiting == count), $"{count} trades waiting for the batch in flight");

    // For a test on fake time that holds a request: the client's own timeout (real time) never ends it first.
    private static readonly TimeSpan LongClientTimeout = TimeSpan.FromMinutes(5);

    private static CatalogBatcher Batcher(CatalogHandler catalog, TimeProvider? time = null, TimeSpan? clientTimeout = null) =>
        new(new CatalogClient(new HttpClient(catalog), new Uri("http://catalog.test"), clientTimeout ?? CatalogTimeout),
            Options.Create(new OrderOptions()), time ?? TimeProvider.System, NullLogger<CatalogBatcher>.Instance);

    private static async Task<CatalogBatcher> StartedAsync(CatalogHandler catalog, TimeProvider? time = null, TimeSpan? clientTimeout = null)
    {
        var batcher = Batcher(catalog, time, clientTimeout);
        await batcher.StartAsync(Token);
        return batcher;
    }

    /// <summary>
    /// The catalog's batch route in memory: every trade of a known stock within <see cref="Stock"/> executes with its
    /// number; a batch holding the stock <see cref="Refused"/> is refused whole (400), as the route refuses a bad body; the
    /// next batch can be held, and every batch arriving after some point can fail.
    /// </summary>
    private sealed class CatalogHandler : HttpMessageHandler
    {
        public const int Stock = 100;

        public const string Refused = "REFUSED";

        public const string RefusedMessage = "Trade 0: the name is refused.";

        private Hold? _hold;
        private volatile bool _failing;
        private int _requests;

        public ConcurrentQueue<int> BatchSizes { get; } = new();

        public ConcurrentQueue<BatchedTrade> Trades { get; } = new();

        /// <summary>The requests that reached the catalog, answered or not.</summary>
        public int Requests => Volatile.Read(ref _requests);

        /// <summary>
        /// The next batch to arrive (of those <paramref name="which"/> picks) waits at the catalog until
        /// <see cref="Hold.Release"/> completes (or its request ends).
        /// </summary>
        public Hold HoldNext(Func<BatchedTrade[], bool>? which = null) => _hold = new Hold(which ?? (_ => true));

        /// <summary>Every batch that arrives from now on fails (500), the one held included if it arrives later.</summary>
        public void FailFromNow() => _failing = true;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Counted before anything else, so a request counts even when its sender gave up on it meanwhile.
            Interlocked.Increment(ref _requests);
            Assert.Equal(Routes.Trades, request.RequestUri!.AbsolutePath);
            var batch = (await request.Content!.ReadFromJsonAsync(StockNetJsonContext.Default.TradeBatch, cancellationToken))!;
            BatchSizes.Enqueue(batch.Data.Length);
            var failing = _failing;
            if (Volatile.Read(ref _hold) is { } hold && hold.Holds(batch.Data) && Interlocked.CompareExchange(ref _hold, null, hold) == hold)
            {
                await hold.WaitAsync(cancellationToken);
            }

            if (failing)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }

            if (Array.Exists(batch.Data, trade => trade.Name == Refused))
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = JsonContent.Create(new ApiError(new ErrorBody(400, RefusedMessage, ErrorTypes.BadRequest)), StockNetJsonContext.Default.ApiError),
                };
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

    /// <summary>A batch held at the catalog (the first that <c>which</c> picks): when it arrived, when its request ended unanswered, and what releases it.</summary>
    private sealed class Hold(Func<BatchedTrade[], bool> which)
    {
        public bool Holds(BatchedTrade[] batch) => which(batch);

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Arrived.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }
    }
}
