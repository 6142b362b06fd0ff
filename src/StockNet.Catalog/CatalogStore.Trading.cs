using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using StockNet.Catalog.Telemetry;
using StockNet.Contracts;
using StockNet.Hosting.Telemetry;

namespace StockNet.Catalog;

/// <summary>
/// The write path. One writer at a time owns the write connection, so writers are serialized without a lock
/// convoy. A trade that finds no writer at work is applied at once on its caller's own call (no hand-off to
/// another thread and back: at low concurrency each costs a thread wake-up); trades that arrive while a writer
/// is at work wait, and when it is done the writer loop takes every trade waiting (up to <see cref="MaxBatch"/>),
/// applies them in order inside one SQLite transaction (group commit), commits, and only then updates memory
/// and answers the callers, until none is left. Each trade is still all-or-nothing: a failed commit fails every
/// trade of its batch and changes nothing. The trades of one <c>POST /trades</c> request are one group, which a
/// commit never splits.
/// </summary>
internal sealed partial class CatalogStore
{
    private const int MaxBatch = 128;

    // Guards the ownership of the write connection and the trades waiting for it. Invariant: trades wait only
    // while someone writes, and whoever writes (a caller or the loop) leaves it only when none waits.
    private readonly Lock _writerGate = new();
    private readonly Queue<PendingTrade[]> _waiting = new();

    // A writing caller that finds trades waiting when it is done hands the write connection to the loop through this.
    private readonly Channel<bool> _handOver = Channel.CreateUnbounded<bool>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly TaskCompletionSource _idleAfterClose = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Owned by whoever writes, like the connection.
    private readonly List<PendingTrade> _batch = new(MaxBatch);
    private readonly Dictionary<QuoteSlot, StockQuote> _staged = [];

    private bool _writing;
    private bool _closed;
    private Task _writerLoop = Task.CompletedTask;

    /// <summary>Whether a writer (a caller or the loop) holds the write connection now, so trades arriving wait.</summary>
    internal bool IsWriting
    {
        get
        {
            lock (_writerGate)
            {
                return _writing;
            }
        }
    }

    /// <summary>
    /// Applies a trade atomically. A repeated <paramref name="idempotencyKey"/> answers the first result and
    /// changes nothing; a buy above the available quantity is refused and changes nothing.
    /// </summary>
    public Task<TradeOutcome> TradeAsync(string name, CatalogTrade trade, string? idempotencyKey, CancellationToken cancellationToken) =>
        TradeAsync(name, trade, idempotencyKey, transactionNumber: null, cancellationToken);

    /// <summary>As above, journaling the order number the leader reserved for this trade.</summary>
    public Task<TradeOutcome> TradeAsync(
        string name, CatalogTrade trade, string? idempotencyKey, long? transactionNumber, CancellationToken cancellationToken)
    {
        if (!_quotes.TryGetValue(name, out var slot))
        {
            return Task.FromResult(new TradeOutcome(TradeStatus.UnknownStock, null));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingTrade(slot, trade, idempotencyKey, transactionNumber);
        Enqueue([pending]);
        return pending.Done.Task;
    }

    /// <summary>
    /// Applies <paramref name="trades"/> in order in one transaction, each exactly as <see cref="TradeAsync(string, CatalogTrade, string?, long?, CancellationToken)"/>
    /// would: an unknown stock is answered without queuing, the others are decided against the state their earlier
    /// batch-mates left. A failed commit throws, and none of them changed anything.
    /// </summary>
    public async Task<TradeOutcome[]> TradeBatchAsync(IReadOnlyList<BatchedTrade> trades, CancellationToken cancellationToken)
    {
        var outcomes = new TradeOutcome[trades.Count];
        var group = new List<PendingTrade>(trades.Count);
        var positions = new List<int>(trades.Count);
        for (var i = 0; i < trades.Count; i++)
        {
            var trade = trades[i];
            if (!_quotes.TryGetValue(trade.Name, out var slot))
            {
                outcomes[i] = new TradeOutcome(TradeStatus.UnknownStock, null);
                continue;
            }

            group.Add(new PendingTrade(slot, new CatalogTrade(trade.Type, trade.Quantity), trade.IdempotencyKey, trade.TransactionNumber));
            positions.Add(i);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (group.Count > 0)
        {
            Enqueue([.. group]);
        }

        // One commit decides the whole group, so these complete together (or all throw its failure: awaited together, so
        // that every one of those failures is observed, not only the first).
        var decided = await Task.WhenAll(group.Select(pending => pending.Done.Task));
        for (var i = 0; i < group.Count; i++)
        {
            outcomes[positions[i]] = decided[i];
        }

        return outcomes;
    }

    // Once queued a trade will be decided; the caller's token no longer cancels it, so the answer is never half-known.
    // With no writer at work the caller applies its own group now and its tasks are complete when this returns.
    private void Enqueue(PendingTrade[] group)
    {
        lock (_writerGate)
        {
            if (_closed)
            {
                throw new InvalidOperationException("The catalog store is closed.");
            }

            if (_writing)
            {
                _waiting.Enqueue(group);
                return;
            }

            _writing = true;
        }

        // The commit's span is made with no parent (it links its trades); the caller's own span comes back after it.
        var callersSpan = Activity.Current;
        try
        {
            _batch.Clear();
            _batch.AddRange(group);
            ApplyBatchAnswering(_writer!, _batch, _staged);
        }
        finally
        {
            Activity.Current = callersSpan;
            LeaveOrHandOver();
        }
    }

    // A caller done writing: with trades waiting, the loop takes the connection (and them) over; else nobody writes.
    private void LeaveOrHandOver()
    {
        lock (_writerGate)
        {
            if (_waiting.Count == 0)
            {
                Leave();
                return;
            }
        }

        _handOver.Writer.TryWrite(true);
    }

    // Under the gate.
    private void Leave()
    {
        _writing = false;
        if (_closed)
        {
            _idleAfterClose.TrySetResult();
        }
    }

    private void StartWriterLoop(SqliteConnection writer) => _writerLoop = Task.Run(() => RunWriterLoopAsync(writer));

    private async Task RunWriterLoopAsync(SqliteConnection writer)
    {
        while (await _handOver.Reader.WaitToReadAsync())
        {
            _handOver.Reader.TryRead(out _);
            while (TakeWaiting(_batch))
            {
                ApplyBatchAnswering(writer, _batch, _staged);
            }
        }
    }

    // Whole groups only: the first always fits, and a batch request's trades share one transaction. With none
    // waiting the loop leaves the connection, under the same gate that callers check.
    private bool TakeWaiting(List<PendingTrade> batch)
    {
        batch.Clear();
        lock (_writerGate)
        {
            while (_waiting.TryPeek(out var group) && (batch.Count == 0 || batch.Count + group.Length <= MaxBatch))
            {
                _waiting.Dequeue();
                batch.AddRange(group);
            }

            if (batch.Count == 0)
            {
                Leave();
                return false;
            }

            return true;
        }
    }

    // A failed commit, or a failure outside the transaction (a telemetry listener that throws), is answered to whoever is
    // still unanswered, and goes no further: thrown in the loop it would end it with the writer role held, and every later
    // trade would wait forever; thrown to a writing caller it would make a trade that committed look failed.
    private void ApplyBatchAnswering(SqliteConnection writer, List<PendingTrade> batch, Dictionary<QuoteSlot, StockQuote> staged)
    {
        try
        {
            ApplyBatch(writer, batch, staged);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    private void ApplyBatch(SqliteConnection writer, List<PendingTrade> batch, Dictionary<QuoteSlot, StockQuote> staged)
    {
        staged.Clear();
        // One span per commit, linked to every trade request it carries (it is none of theirs alone).
        using var span = CatalogTelemetry.Source.HasListeners()
            ? CatalogTelemetry.Source.StartBatch("catalog commit", ActivityKind.Internal, Links(batch))
            : null;
        span?.SetTag("stocknet.batch.size", batch.Count);
        var outcomes = new TradeOutcome[batch.Count];
        try
        {
            using var transaction = writer.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = Apply(transaction, batch[i], staged);
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            // The transaction rolled back: nothing of this batch is stored, so memory and the front-end stay as they were;
            // ApplyBatchAnswering answers every trade with the failure.
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }

        foreach (var (slot, quote) in staged)
        {
            slot.Quote = quote;
            _invalidations.TryEnqueue(new CacheInvalidated(quote.Name, quote.Version));
        }

        // Committed: every caller hears its outcome before telemetry runs, so a failing listener cannot turn a trade that
        // happened into an error.
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(outcomes[i]);
        }

        CatalogTelemetry.RecordBatch(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            CatalogTelemetry.Record(pending.Slot.Quote.Name, pending.Trade.Type, outcomes[i].Status, pending.Trade.Quantity);
        }
    }

    private static ActivityLink[] Links(List<PendingTrade> batch)
    {
        var links = new ActivityLink[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            links[i] = new ActivityLink(batch[i].Context);
        }

        return links;
    }

    // Decides one trade against the state as it stands after the earlier trades of the same batch.
    private TradeOutcome Apply(SqliteTransaction transaction, PendingTrade pending, Dictionary<QuoteSlot, StockQuote> staged)
    {
        if (pending.IdempotencyKey is { } key && FindJournaled(transaction, key) is { } earlier)
        {
            // The same key for another trade is the client's mistake, not a retry: answering the first result would
            // silently drop this trade (the IETF idempotency-key draft's 422).
            return earlier.Quote.Name == pending.Slot.Quote.Name && earlier.Trade == pending.Trade
                ? new TradeOutcome(TradeStatus.Replayed, earlier.Quote, earlier.TransactionNumber)
                : new TradeOutcome(TradeStatus.KeyReused, null);
        }

        var current = staged.TryGetValue(pending.Slot, out var stagedQuote) ? stagedQuote : pending.Slot.Quote;
        var trade = pending.Trade;
        var quantityAfter = trade.Type == TradeType.Buy ? current.Quantity - trade.Quantity : current.Quantity + trade.Quantity;
        if (quantityAfter < 0)
        {
            return new TradeOutcome(TradeStatus.InsufficientStock, current);
        }

        var next = current with { Quantity = quantityAfter, Version = current.Version + 1 };
        WriteTrade(transaction, next, trade, pending.IdempotencyKey, pending.TransactionNumber);
        staged[pending.Slot] = next;
        return new TradeOutcome(TradeStatus.Applied, next, pending.TransactionNumber);
    }

    // Trades already queued are still decided: whoever writes finishes them before the loop is stopped.
    private async Task StopWriterLoopAsync()
    {
        bool writing;
        lock (_writerGate)
        {
            _closed = true;
            writing = _writing;
        }

        if (writing)
        {
            await _idleAfterClose.Task;
        }

        _handOver.Writer.TryComplete();
        await _writerLoop;
    }

    private sealed class PendingTrade(QuoteSlot slot, CatalogTrade trade, string? idempotencyKey, long? transactionNumber)
    {
        public QuoteSlot Slot { get; } = slot;

        public CatalogTrade Trade { get; } = trade;

        public string? IdempotencyKey { get; } = idempotencyKey;

        public long? TransactionNumber { get; } = transactionNumber;

        /// <summary>The trade request's span, which the commit that carries it links to.</summary>
        public ActivityContext Context { get; } = Activity.Current?.Context ?? default;

        // Continuations waiting when it is answered run off the writer, so answering callers never delays the next batch;
        // a caller that wrote its own trade finds it answered and goes on without a hand-off.
        public TaskCompletionSource<TradeOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
