using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Hosting.Telemetry;
using StockNet.Orders.Telemetry;
using StockNet.Protocol;

namespace StockNet.Orders.Placement;

/// <summary>
/// Carries the leader's trades to the catalog (<c>POST /trades</c>), batched as the follower pumps batch replication. A
/// trade that finds no batch in flight is sent at once, alone, on its caller's own call: one call's cost, no thread
/// hand-off. Trades that come while a batch is in flight wait; when it returns, everything waiting (up to
/// <see cref="Limits.MaxTradeBatch"/>) goes as the next batch, sent by this service's loop, and so on until nothing waits.
/// Guarantee: each trade gets the outcome a call of its own would get, except that a trade is answered unavailable
/// without ever being sent when it waited too long (below): the catalog's answer for it, or
/// <see cref="CatalogOutcome.Unavailable"/> when its batch got no answer by the trade's deadline,
/// <see cref="OrderOptions.CatalogTimeout"/> after it was handed over. That deadline counts from the hand-over, so a trade
/// queued behind a hung batch still answers before the front-end's order timeout. A batch's own deadline is the earliest
/// of its trades' (the first taken: the queue is in order), so no trade is answered unavailable while its batch's request
/// is still open: its answer is that request's end, as a single call's is. A trade with less than a quarter of its budget
/// left when its batch is taken is never sent and is answered unavailable at once, so no batch's request is cut shorter
/// than a quarter of the timeout by one nearly expired trade. A trade answered unavailable after it was sent may or may
/// not have been applied: the catalog journals it with its key, and reconciliation adopts it, as it did a single call
/// without an answer. A trade whose leader stepped down before it was sent is never sent (<see cref="NotLeading"/>), and
/// a batch the catalog refused whole (400: it changed nothing) is sent again in halves, one request after another, each
/// half refused whole split again, so each trade gets the refusal, or the result, its own call gets.
/// </summary>
public sealed partial class CatalogBatcher : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Queue<WaitingTrade> _waiting = new();

    // Released only by a caller whose own call ended with trades waiting; the loop then owns "in flight" until none wait.
    private readonly SemaphoreSlim _handOver = new(0, 1);
    private readonly CatalogClient _catalog;
    private readonly TimeSpan _timeout;

    // The least of its budget a queued trade must have left to be sent (a quarter of it), so that no batch's request is
    // cut shorter than that by the trade in it with the least time left.
    private readonly TimeSpan _sendFloor;
    private readonly TimeProvider _time;
    private readonly ILogger<CatalogBatcher> _logger;
    private bool _inFlight;
    private bool _stopped;

    /// <summary>The outcome of a trade not sent because its leader no longer leads the epoch it was placed in: nothing traded.</summary>
    public static CatalogOutcome NotLeading { get; } = new(503, "This replica no longer leads; the trade was not sent.", ErrorTypes.NotLeader);

    public CatalogBatcher(CatalogClient catalog, IOptions<OrderOptions> options, TimeProvider time, ILogger<CatalogBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        _timeout = options.Value.CatalogTimeout;
        _sendFloor = _timeout / 4;
        _time = time;
        _logger = logger;
    }

    /// <summary>Trades waiting for the batch in flight to return, abandoned ones included until a batch passes them (for tests and gauges).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Has the catalog apply <paramref name="trade"/> under <paramref name="key"/>, journaling <paramref name="number"/>;
    /// the number in the outcome is the one journaled (a repeated key's first). <paramref name="leads"/> is asked right
    /// before the trade is sent: false answers <see cref="NotLeading"/> and sends nothing.
    /// </summary>
    public async Task<CatalogOutcome> TradeAsync(TradeRequest trade, string key, long? number, Func<bool> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(leads);
        var item = new BatchedTrade(trade.Name, trade.Type, trade.Quantity, key, number);
        WaitingTrade? queued = null;
        lock (_lock)
        {
            if (_stopped)
            {
                throw new OperationCanceledException("The catalog batcher has stopped.");
            }

            if (_inFlight)
            {
                queued = new WaitingTrade(item, leads, _time.GetTimestamp());
                _waiting.Enqueue(queued);
            }
            else if (!leads())
            {
                return NotLeading;
            }
            else
            {
                _inFlight = true;
            }
        }

        return queued is null ? await SendAloneAsync(item, cancellationToken) : await WaitAsync(queued, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _handOver.WaitAsync(stoppingToken);
                while (TakeBatch() is { } batch)
                {
                    await SendAsync(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whoever still waits is told so below.
        }
        finally
        {
            Stop();
        }
    }

    private async Task<CatalogOutcome> SendAloneAsync(BatchedTrade item, CancellationToken cancellationToken)
    {
        try
        {
            return (await _catalog.TradeBatchAsync([item], cancellationToken))[0];
        }
        finally
        {
            HandOverOrIdle();
        }
    }

    private void HandOverOrIdle()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0 || _stopped)
            {
                _inFlight = false;
                return;
            }
        }

        _handOver.Release();
    }

    private async Task<CatalogOutcome> WaitAsync(WaitingTrade queued, CancellationToken cancellationToken)
    {
        try
        {
            return await queued.Outcome.Task.WaitAsync(Remaining(queued), _time, cancellationToken);
        }
        catch (TimeoutException) when (TryAbandon(queued))
        {
            return CatalogOutcome.Unavailable;
        }
        catch (TimeoutException)
        {
            // Sent just as its deadline came: that batch's request ends by the same deadline (the earliest of its trades'),
            // and its end is this trade's answer, so it is never answered while its request is still open.
            return await queued.Outcome.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (its request aborted, the service stopping): its key is released with it, so a trade
            // not sent yet (still queued, or in a refused batch's part whose turn has not come) must never reach the
            // catalog afterwards. One sent already may yet be refused whole, which applies nothing and sends its trades
            // again in parts: it is marked as given up, so its part leaves it out.
            GiveUp(queued);
            throw;
        }
    }

    // True when the trade was not sent yet: it never will be, so the catalog certainly did not apply it.
    private bool TryAbandon(WaitingTrade queued)
    {
        lock (_lock)
        {
            queued.Abandoned = !queued.Sent;
            return queued.Abandoned;
        }
    }

    private void GiveUp(WaitingTrade queued)
    {
        lock (_lock)
        {
            queued.GaveUp = true;
            queued.Abandoned = !queued.Sent;
        }
    }

    // Everything waiting, up to the batch bound; none ends the loop's turn in flight. A trade is left out, never to be sent,
    // when its caller gave up; when less than a quarter of its budget is left (answered unavailable now: it was never sent,
    // so nothing traded; sent, it would cut the request of every trade travelling with it to the little it has left); or
    // when its leader stepped down since it was queued (answered as a step-down answers: a retry on the new leader is safe).
    private List<WaitingTrade>? TakeBatch()
    {
        lock (_lock)
        {
            var batch = new List<WaitingTrade>(Math.Min(_waiting.Count, Limits.MaxTradeBatch));
            while (batch.Count < Limits.MaxTradeBatch && _waiting.TryDequeue(out var waiting))
            {
                if (waiting.Abandoned)
                {
                    continue;
                }

                if (Remaining(waiting) < _sendFloor)
                {
                    waiting.Abandoned = true;
                    waiting.Outcome.TrySetResult(CatalogOutcome.Unavailable);
                }
                else if (!waiting.Leads())
                {
                    waiting.Abandoned = true;
                    waiting.Outcome.TrySetResult(NotLeading);
                }
                else
                {
                    batch.Add(waiting);
                }
            }

            if (batch.Count == 0)
            {
                _inFlight = false;
                return null;
            }

            return batch;
        }
    }

    // What is left of the trade's budget; never negative (a timeout of -1 ms would mean no timeout at all).
    private TimeSpan Remaining(WaitingTrade waiting)
    {
        var left = _timeout - _time.GetElapsedTime(waiting.Queued);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    // One span per batch, linked to every order it carries (it is none of theirs alone), as a replication batch is.
    private async Task SendAsync(List<WaitingTrade> batch, CancellationToken stoppingToken)
    {
        // Inside the try: the batch is out of the queue, so whatever throws must still answer every trade in it.
        try
        {
            using var span = OrderTelemetry.Source.HasListeners()
                ? OrderTelemetry.Source.StartBatch("catalog batch", ActivityKind.Internal, batch.Select(waiting => new ActivityLink(waiting.Context)))
                : null;
            span?.SetTag("stocknet.batch.size", batch.Count);

            // The earliest deadline of the batch is its first trade's: the request ends by then, answered or not.
            using var deadline = new CancellationTokenSource(Remaining(batch[0]), _time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
            await TradeAndAnswerAsync(batch, new SendWindow(deadline.Token, stoppingToken, bounded.Token));
            stoppingToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: every trade of the batch is answered already (a trade answered keeps its answer); this only
            // ends the loop, and covers a trade left unanswered by a bug.
            batch.ForEach(waiting => waiting.Outcome.TrySetCanceled(stoppingToken));
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the send path, not an unanswered batch (the client answers those): each caller still unanswered sees
            // it, as it would have from a call of its own (one already answered keeps its answer), and the loop goes on
            // with the next batch. A caller that gave up meanwhile never reads it: it is observed here (and logged above),
            // so it never surfaces as an unobserved task exception.
            LogBatchFailed(_logger, ex, batch.Count);
            foreach (var waiting in batch)
            {
                waiting.Outcome.TrySetException(ex);
                _ = waiting.Outcome.Task.Exception;
            }
        }
    }

    // Sends the trades as one batch and answers each as soon as the catalog's outcome for it is known. A batch of several
    // refused whole (every outcome a bad-request refusal: the route checks the body before it changes anything) is split
    // in halves, each sent as a batch of its own, the first half then the second (queue order, one request at a time),
    // and so on down to single trades: only a trade the catalog refuses alone gets the refusal its own call gets, and one
    // bad trade among n costs 2·log2(n) more requests in a row (14 for 128), not n, so the good ones still have the
    // budget to be answered. A part whose turn comes after the deadline, or once the service stops, is answered
    // unavailable without being sent, and a trade whose caller gave up before its part's turn is left out of it (its key
    // was released with the caller); a part whose request was open when the service stopped may or may not have been
    // applied and is cancelled, as a single call's caller would be.
    private async Task TradeAndAnswerAsync(List<WaitingTrade> trades, SendWindow window)
    {
        if (window.Bounded.IsCancellationRequested)
        {
            Answer(trades, CatalogOutcome.Unavailable);
            return;
        }

        trades = MarkSent(trades);
        if (trades.Count == 0)
        {
            return;
        }

        CatalogOutcome[] outcomes;
        try
        {
            outcomes = await _catalog.TradeBatchAsync(trades.ConvertAll(waiting => waiting.Trade), window.Bounded);
        }
        catch (OperationCanceledException) when (window.Deadline.IsCancellationRequested)
        {
            Answer(trades, CatalogOutcome.Unavailable);
            return;
        }
        catch (OperationCanceledException) when (window.Stopping.IsCancellationRequested)
        {
            trades.ForEach(waiting => waiting.Outcome.TrySetCanceled(window.Stopping));
            return;
        }

        if (trades.Count > 1 && Array.TrueForAll(outcomes, outcome => outcome is { Status: 400, Type: ErrorTypes.BadRequest }))
        {
            // Refused whole, the request applied none of them: until its part is sent, a caller may give up its trade.
            MarkUnsent(trades);
            var half = trades.Count / 2;
            await TradeAndAnswerAsync(trades[..half], window);
            await TradeAndAnswerAsync(trades[half..], window);
            return;
        }

        for (var i = 0; i < trades.Count; i++)
        {
            trades[i].Outcome.TrySetResult(outcomes[i]);
        }
    }

    private static void Answer(List<WaitingTrade> trades, CatalogOutcome outcome) =>
        trades.ForEach(waiting => waiting.Outcome.TrySetResult(outcome));

    private void MarkUnsent(List<WaitingTrade> trades)
    {
        lock (_lock)
        {
            trades.ForEach(waiting => waiting.Sent = false);
        }
    }

    // The trades whose callers still wait, marked sent (from now on a caller that gives up may not abandon its trade: the
    // catalog may apply it); the others are left out, never to be sent.
    private List<WaitingTrade> MarkSent(List<WaitingTrade> trades)
    {
        lock (_lock)
        {
            var sending = trades.FindAll(waiting => !waiting.Abandoned && !waiting.GaveUp);
            sending.ForEach(waiting => waiting.Sent = true);
            return sending;
        }
    }

    public override void Dispose()
    {
        _handOver.Dispose();
        base.Dispose();
    }

    private void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            while (_waiting.TryDequeue(out var waiting))
            {
                waiting.Outcome.TrySetCanceled();
            }
        }
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Error, Message = "A batch of {Count} trades to the catalog failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    /// <summary>
    /// The tokens a batch is sent under: its deadline (its first trade's), the service's stopping, and the two linked,
    /// which bounds each of its requests.
    /// </summary>
    private readonly record struct SendWindow(CancellationToken Deadline, CancellationToken Stopping, CancellationToken Bounded);

    /// <summary>A trade waiting for a batch; <see cref="Sent"/> and <see cref="Abandoned"/> change under the batcher's lock.</summary>
    private sealed class WaitingTrade(BatchedTrade trade, Func<bool> leads, long queued)
    {
        public BatchedTrade Trade { get; } = trade;

        /// <summary>True while the leader that placed the trade still leads its epoch.</summary>
        public Func<bool> Leads { get; } = leads;

        /// <summary>When it was handed over (the batcher's clock): its deadline is <see cref="OrderOptions.CatalogTimeout"/> later.</summary>
        public long Queued { get; } = queued;

        /// <summary>The order request's span, which the batch that carries it links to.</summary>
        public ActivityContext Context { get; } = Activity.Current?.Context ?? default;

        // Continuations run off the loop, so answering callers never delays the next batch.
        public TaskCompletionSource<CatalogOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its request started (the batch's, or a part's of a batch refused whole): the catalog may apply it.</summary>
        public bool Sent { get; set; }

        public bool Abandoned { get; set; }

        /// <summary>Its caller stopped waiting: whatever was sent before, it is never sent again.</summary>
        public bool GaveUp { get; set; }
    }
}
