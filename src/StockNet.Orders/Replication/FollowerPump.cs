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
/// hole without waiting for another order, a restart or an election; beyond the backlog, the follower sees the
/// gap in the positions and resyncs the suffix from the leader's log. The loop is run, and restarted
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
    private readonly Queue<(OrderEntry Entry, LogPosition? Position)> _backlog = new();
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

    public Task<ReplicaAck> SendAsync(OrderEntry entry, LogPosition? position = null)
    {
        var pending = new Pending(
            entry, position, new TaskCompletionSource<ReplicaAck>(TaskCreationOptions.RunContinuationsAsynchronously), Activity.Current?.Context ?? default);
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

                var (entries, positions) = Compose(batch);
                var ack = await SendBatchAsync(batch, entries, positions, stopping);
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
    private async Task<ReplicaAck> SendBatchAsync(List<Pending> batch, OrderEntry[] entries, LogPosition[]? positions, CancellationToken stopping)
    {
        using var span = OrderTelemetry.Source.HasListeners()
            ? OrderTelemetry.Source.StartBatch("replicate batch", ActivityKind.Internal, batch.Select(pending => new ActivityLink(pending.Context)))
            : null;
        span?.SetTag("stocknet.follower", Follower.Id);
        span?.SetTag("stocknet.batch.size", entries.Length);
        Volatile.Write(ref _inFlight, entries.Length);
        var started = Stopwatch.GetTimestamp();
        var ack = await _client.ReplicateAsync(Follower.Url, entries, positions, _timeout, stopping);
        OrderTelemetry.RecordReplication(Follower.Id, ack, Stopwatch.GetElapsedTime(started));
        span?.SetTag("stocknet.replication.result", OrderTelemetry.AckName(ack));
        if (ack == ReplicaAck.Failed)
        {
            Keep(entries, positions);
        }

        Volatile.Write(ref _inFlight, 0);
        return ack;
    }

    // New entries first, then as many left-over ones as fit. Left-overs of another epoch are dropped:
    // the follower would refuse the whole batch for them, and the new leader's history decides their fate.
    // Positions travel when every entry has one (a leader's writes always do).
    private (OrderEntry[] Entries, LogPosition[]? Positions) Compose(List<Pending> batch)
    {
        var items = new List<(OrderEntry Entry, LogPosition? Position)>(Math.Min(MaxBatch, batch.Count + _backlog.Count));
        foreach (var pending in batch)
        {
            items.Add((pending.Entry, pending.Position));
        }

        var epoch = batch.Count > 0 ? batch[0].Entry.Epoch : _backlog.Peek().Entry.Epoch;
        while (items.Count < MaxBatch && _backlog.TryDequeue(out var old))
        {
            if (old.Entry.Epoch == epoch)
            {
                items.Add(old);
            }
        }

        var positions = items.All(item => item.Position is not null) ? items.Select(item => item.Position!).ToArray() : null;
        return ([.. items.Select(item => item.Entry)], positions);
    }

    private void Keep(OrderEntry[] entries, LogPosition[]? positions)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (_backlog.Count >= MaxBacklog)
            {
                // The follower's claim stops at the gap; its resync from our log fills it.
                _backlog.Clear();
                return;
            }

            _backlog.Enqueue((entries[i], positions?[i]));
        }
    }

    private sealed record Pending(OrderEntry Entry, LogPosition? Position, TaskCompletionSource<ReplicaAck> Ack, ActivityContext Context);
}
