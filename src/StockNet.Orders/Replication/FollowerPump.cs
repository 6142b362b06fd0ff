using System.Diagnostics;
using System.Threading.Channels;
using StockNet.Contracts;
using StockNet.Hosting.Telemetry;
using StockNet.Protocol;
using StockNet.Orders.Telemetry;

namespace StockNet.Orders.Replication;

/// <summary>
/// Carries the leader's new entries to one follower. Entries that arrive while a batch is in flight are
/// sent together in the next one (group commit on the wire and in the follower's SQLite), so under load
/// one round trip replicates many orders; alone, an entry goes out at once. Each entry's waiter learns
/// the follower's answer for its batch. Entries of a batch the follower did not answer are sent again
/// with later batches (their waiters have already moved on), or on their own after <see cref="RetryPause"/>
/// when no new entry comes, so a follower that missed a few entries during a pause or a partition fills the
/// hole without waiting for another order, a restart or an election. The loop is run, and restarted
/// after a failure, by <see cref="FollowerPumps"/>: a pump nobody runs would take entries and deliver nothing.
/// </summary>
internal sealed class FollowerPump
{
    /// <summary>Bounds one request: a few hundred entries of ~100 bytes stay well inside the batch body limit.</summary>
    public const int MaxBatch = 256;

    /// <summary>Past this many unsent entries the follower is treated as down: it catches up at its restart instead.</summary>
    public const int MaxBacklog = 10_000;

    /// <summary>How long kept entries wait for a new one to travel with before they are sent alone.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OrderReplicaClient _client;
    private readonly TimeSpan _timeout;
    private readonly Queue<OrderEntry> _backlog = new();
    private int _queued;
    private int _inFlight;

    public FollowerPump(ReplicaAddress follower, OrderReplicaClient client, TimeSpan timeout)
    {
        Follower = follower;
        _client = client;
        _timeout = timeout;
    }

    public ReplicaAddress Follower { get; }

    /// <summary>Entries not yet stored by the follower: queued, in flight, or kept to send again (read racily, for a gauge).</summary>
    public int Lag => Volatile.Read(ref _queued) + Volatile.Read(ref _inFlight) + _backlog.Count;

    public Task<ReplicaAck> SendAsync(OrderEntry entry)
    {
        var pending = new Pending(
            entry, new TaskCompletionSource<ReplicaAck>(TaskCreationOptions.RunContinuationsAsynchronously), Activity.Current?.Context ?? default);
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromResult(ReplicaAck.Failed);
        }

        // The single-reader channel cannot count its items, so the gauge keeps its own count.
        Interlocked.Increment(ref _queued);

        return pending.Ack.Task;
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Sends batches until the queue is completed or <paramref name="stopping"/> fires. An unexpected exception
    /// fails the waiters of the batch in hand and of the entries queued, then escapes to the caller, who restarts it.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await WaitForWorkAsync(stopping))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    Interlocked.Decrement(ref _queued);
                }

                if (batch.Count == 0 && _backlog.Count == 0)
                {
                    continue;
                }

                var entries = Compose(batch);
                var ack = await SendBatchAsync(batch, entries, stopping);
                foreach (var pending in batch)
                {
                    pending.Ack.TrySetResult(ack);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: whoever still waits is told the follower did not answer.
        }
        finally
        {
            foreach (var pending in batch)
            {
                pending.Ack.TrySetResult(ReplicaAck.Failed);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Ack.TrySetResult(ReplicaAck.Failed);
            }
        }
    }

    // True when there are new entries, or kept ones whose pause is over; false once the queue is completed.
    private async Task<bool> WaitForWorkAsync(CancellationToken stopping)
    {
        if (_backlog.Count == 0)
        {
            return await _queue.Reader.WaitToReadAsync(stopping);
        }

        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        pause.CancelAfter(RetryPause);
        try
        {
            return await _queue.Reader.WaitToReadAsync(pause.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return true;
        }
    }

    // One span per batch, linked to every order it carries; its HTTP call carries the batch's own context.
    private async Task<ReplicaAck> SendBatchAsync(List<Pending> batch, OrderEntry[] entries, CancellationToken stopping)
    {
        using var span = OrderTelemetry.Source.HasListeners()
            ? OrderTelemetry.Source.StartBatch("replicate batch", ActivityKind.Internal, batch.Select(pending => new ActivityLink(pending.Context)))
            : null;
        span?.SetTag("stocknet.follower", Follower.Id);
        span?.SetTag("stocknet.batch.size", entries.Length);
        Volatile.Write(ref _inFlight, entries.Length);
        var started = Stopwatch.GetTimestamp();
        var ack = await _client.ReplicateAsync(Follower.Url, entries, _timeout, stopping);
        OrderTelemetry.RecordReplication(Follower.Id, ack, Stopwatch.GetElapsedTime(started));
        span?.SetTag("stocknet.replication.result", OrderTelemetry.AckName(ack));
        if (ack == ReplicaAck.Failed)
        {
            Keep(entries);
        }

        Volatile.Write(ref _inFlight, 0);
        return ack;
    }

    // New entries first, then as many left-over ones as fit. Left-overs of another epoch are dropped:
    // the follower would refuse the whole batch for them, and the new leader's history decides their fate.
    private OrderEntry[] Compose(List<Pending> batch)
    {
        var entries = new List<OrderEntry>(Math.Min(MaxBatch, batch.Count + _backlog.Count));
        foreach (var pending in batch)
        {
            entries.Add(pending.Entry);
        }

        var epoch = batch.Count > 0 ? batch[0].Entry.Epoch : _backlog.Peek().Epoch;
        while (entries.Count < MaxBatch && _backlog.TryDequeue(out var old))
        {
            if (old.Epoch == epoch)
            {
                entries.Add(old);
            }
        }

        return [.. entries];
    }

    private void Keep(OrderEntry[] entries)
    {
        foreach (var entry in entries)
        {
            if (_backlog.Count >= MaxBacklog)
            {
                _backlog.Clear();
                return;
            }

            _backlog.Enqueue(entry);
        }
    }

    private sealed record Pending(OrderEntry Entry, TaskCompletionSource<ReplicaAck> Ack, ActivityContext Context);
}
