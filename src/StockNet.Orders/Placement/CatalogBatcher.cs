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
/// Guarantee: each trade gets exactly the outcome a call of its own would get: the catalog's answer for it, or
/// <see cref="CatalogOutcome.Unavailable"/> when its batch got no answer in time or when
/// <see cref="OrderOptions.CatalogTimeout"/> passed since it was handed over. That deadline counts from the hand-over, so a
/// trade queued behind a hung batch still answers before the front-end's order timeout; one that expires before it is
/// sent is never sent. A trade answered unavailable may or may not have been applied: the catalog journals it with its
/// key, and reconciliation adopts it, as it did a single call without an answer.
/// </summary>
public sealed partial class CatalogBatcher : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Queue<WaitingTrade> _waiting = new();

    // Released only by a caller whose own call ended with trades waiting; the loop then owns "in flight" until none wait.
    private readonly SemaphoreSlim _handOver = new(0, 1);
    private readonly CatalogClient _catalog;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger<CatalogBatcher> _logger;
    private bool _inFlight;
    private bool _stopped;

    public CatalogBatcher(CatalogClient catalog, IOptions<OrderOptions> options, TimeProvider time, ILogger<CatalogBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        _timeout = options.Value.CatalogTimeout;
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
    /// the number in the outcome is the one journaled (a repeated key's first).
    /// </summary>
    public async Task<CatalogOutcome> TradeAsync(TradeRequest trade, string key, long? number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trade);
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
                queued = new WaitingTrade(item);
                _waiting.Enqueue(queued);
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
            return await queued.Outcome.Task.WaitAsync(_timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            Abandon(queued);
            return CatalogOutcome.Unavailable;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (its request aborted, the service stopping): its key is released with it, so a trade
            // still waiting must never reach the catalog afterwards.
            Abandon(queued);
            throw;
        }
    }

    private void Abandon(WaitingTrade queued)
    {
        lock (_lock)
        {
            // Not sent yet: it never will be, so the catalog certainly did not apply it.
            queued.Abandoned = !queued.Taken;
        }
    }

    // Everything waiting, up to the batch bound; none ends the loop's turn in flight.
    private List<WaitingTrade>? TakeBatch()
    {
        lock (_lock)
        {
            var batch = new List<WaitingTrade>(Math.Min(_waiting.Count, Limits.MaxTradeBatch));
            while (batch.Count < Limits.MaxTradeBatch && _waiting.TryDequeue(out var waiting))
            {
                if (!waiting.Abandoned)
                {
                    waiting.Taken = true;
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
            var outcomes = await _catalog.TradeBatchAsync(batch.ConvertAll(waiting => waiting.Trade), stoppingToken);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.TrySetResult(outcomes[i]);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            batch.ForEach(waiting => waiting.Outcome.TrySetCanceled(stoppingToken));
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the send path, not an unanswered batch (the client answers those): each caller sees it, as it would
            // have from a call of its own, and the loop goes on with the next batch.
            LogBatchFailed(_logger, ex, batch.Count);
            batch.ForEach(waiting => waiting.Outcome.TrySetException(ex));
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

    /// <summary>A trade waiting for a batch; <see cref="Taken"/> and <see cref="Abandoned"/> change under the batcher's lock.</summary>
    private sealed class WaitingTrade(BatchedTrade trade)
    {
        public BatchedTrade Trade { get; } = trade;

        /// <summary>The order request's span, which the batch that carries it links to.</summary>
        public ActivityContext Context { get; } = Activity.Current?.Context ?? default;

        // Continuations run off the loop, so answering callers never delays the next batch.
        public TaskCompletionSource<CatalogOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Taken { get; set; }

        public bool Abandoned { get; set; }
    }
}
