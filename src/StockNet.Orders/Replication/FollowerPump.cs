using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using StockNet.Contracts;
using StockNet.Hosting.Telemetry;
using StockNet.Protocol;
using StockNet.Orders.Telemetry;

namespace StockNet.Orders.Replication;

/// <summary>
/// Carries the leader's new entries to one follower. An entry that finds nothing in flight and nothing waiting goes
/// out at once, alone, on its caller's own call (no hand-off to the loop and back: at low concurrency each is a thread
/// wake-up). Entries that arrive while a batch is in flight wait, and the loop sends them together in the next one
/// (group commit on the wire and in the follower's SQLite), so under load one round trip replicates many orders. One
/// batch is in flight at a time, in the order the entries came. Each entry's waiter learns the follower's answer for
/// its batch. Entries of a batch the follower did not answer are sent again with later batches (their waiters have
/// already moved on), or on their own after <see cref="RetryPause"/> when no new entry comes, so a follower that missed
/// a few entries during a pause or a partition fills the hole without waiting for another order, a restart or an
/// election; beyond the backlog (kept or waiting, see <see cref="MaxBacklog"/>), the follower sees the gap in the
/// positions and resyncs the suffix from the leader's log. The loop is run, and restarted after a failure, by
/// <see cref="FollowerPumps"/>: while nobody runs it, entries wait for it, and a pump nobody runs delivers nothing.
/// </summary>
internal sealed class FollowerPump
{
    /// <summary>Bounds one request: a few hundred entries of ~100 bytes stay well inside the batch body limit.</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// Past this many unsent entries (kept from unanswered batches, or waiting to be sent) the follower is treated as down
    /// for the ones beyond: it fills the gap by its resync from the leader's log instead. Without it, a follower that
    /// answers slowly but answers, or a loop that is restarting, would let the waiting queue grow with the order rate.
    /// </summary>
    public const int MaxBacklog = 10_000;

    /// <summary>How long kept entries wait for a new one to travel with before they are sent alone.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    // Guards who sends and what waits. Whoever sends (a caller alone, or the loop) owns the backlog until it is done.
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();

    // Written after every change of the state above that may give the loop work; the loop checks that state on each.
    private readonly Channel<bool> _wake = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OrderReplicaClient _client;
    private readonly TimeSpan _timeout;
    private readonly Queue<(OrderEntry Entry, LogPosition? Position)> _backlog = new();
    private CancellationToken _stopping;
    private ExceptionDispatchInfo? _fault;
    private bool _running;
    private bool _sending;
    private bool _completed;
    private int _inFlight;

    public FollowerPump(ReplicaAddress follower, OrderReplicaClient client, TimeSpan timeout)
    {
        Follower = follower;
        _client = client;
        _timeout = timeout;
    }

    private enum Work
    {
        Stop,
        New,
        PauseOver,
    }

    public ReplicaAddress Follower { get; }

    /// <summary>Entries not yet stored by the follower: waiting, in flight, or kept to send again (read racily, for a gauge).</summary>
    public int Lag => _waiting.Count + Volatile.Read(ref _inFlight) + _backlog.Count;

    /// <summary>Admits <paramref name="entry"/> and starts its send at once: <see cref="Admit"/>, then <see cref="Admission.StartAsync"/>.</summary>
    public Task<ReplicaAck> SendAsync(OrderEntry entry, LogPosition? position = null) => Admit(entry, position).StartAsync();

    /// <summary>
    /// Gives <paramref name="entry"/> its place in this follower's stream: behind the entries waiting, or, when nothing is in
    /// flight or waiting, the right to send it alone on the caller's call. The order of admissions is the order on the
    /// wire (one batch in flight at a time, in the order admitted), so the leader admits under the lock that orders its log
    /// and starts the returned admission after it, without holding that lock while a request is composed and started.
    /// Every admission must be started: one that took the right to send holds every later entry until it is.
    /// An entry that finds <see cref="MaxBacklog"/> entries already waiting is not queued: its waiter hears
    /// <see cref="ReplicaAck.Failed"/> at once (the follower did not store it, so the order cannot count this follower
    /// towards its majority), and the follower, seeing the gap in the positions, fills it by its resync from the log.
    /// </summary>
    public Admission Admit(OrderEntry entry, LogPosition? position = null)
    {
        var pending = new Pending(
            entry, position, new TaskCompletionSource<ReplicaAck>(TaskCreationOptions.RunContinuationsAsynchronously), Activity.Current?.Context ?? default);
        lock (_gate)
        {
            if (_completed || _waiting.Count >= MaxBacklog)
            {
                return new Admission(Task.FromResult(ReplicaAck.Failed));
            }

            if (_sending || !_running || _waiting.Count > 0)
            {
                _waiting.Enqueue(pending);
                return new Admission(pending.Ack.Task);
            }

            _sending = true;
            return new Admission(this, pending, _stopping);
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Sends the batches of entries that waited until the pump is completed or <paramref name="stopping"/> fires. An
    /// unexpected exception (here, or in a caller's own send) fails the waiters of the batch in hand and of the entries
    /// waiting, then escapes to the caller, who restarts it.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<Pending>(MaxBatch);
        var sending = false;
        var failedOnACall = false;
        lock (_gate)
        {
            _stopping = stopping;
            _running = true;
        }

        try
        {
            while (await WaitForWorkAsync(stopping) is var work && work != Work.Stop)
            {
                if (TakeFault() is { } fault)
                {
                    failedOnACall = true;
                    fault.Throw();
                }

                sending = TryTake(batch, work == Work.PauseOver);
                if (!sending)
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
                sending = false;
                Done();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: whoever still waits is told the follower did not answer.
        }
        finally
        {
            // A failure on a caller's call already answered what waited then; what came since waits for the restart.
            Pending[] left = [];
            lock (_gate)
            {
                _sending &= !sending;
                if (!failedOnACall)
                {
                    _running = false;
                    left = [.. _waiting];
                    _waiting.Clear();
                }
            }

            foreach (var pending in batch.Concat(left))
            {
                pending.Ack.TrySetResult(ReplicaAck.Failed);
            }
        }
    }

    // Nothing in flight or waiting: the entry (with any kept ones) goes on its caller's own call, and its answer comes
    // back the same way. A failure is the loop's (it fails with it, is logged and restarted); the caller hears Failed.
    private async Task<ReplicaAck> SendAloneAsync(Pending pending, CancellationToken stopping)
    {
        List<Pending> batch = [pending];
        try
        {
            var (entries, positions) = Compose(batch);
            return await SendBatchAsync(batch, entries, positions, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return ReplicaAck.Failed;
        }
        catch (Exception ex)
        {
            // As if the loop had failed here: the entries waiting are told Failed, later ones wait for its restart.
            Pending[] failed;
            lock (_gate)
            {
                _fault = ExceptionDispatchInfo.Capture(ex);
                _running = false;
                failed = [.. _waiting];
                _waiting.Clear();
            }

            foreach (var waiting in failed)
            {
                waiting.Ack.TrySetResult(ReplicaAck.Failed);
            }

            return ReplicaAck.Failed;
        }
        finally
        {
            Done();
        }
    }

    // The sender is done: the next batch may go, and the loop looks at what waits, what is kept, a failure, or the end.
    private void Done()
    {
        lock (_gate)
        {
            _sending = false;
        }

        _wake.Writer.TryWrite(true);
    }

    // New entries to send while nobody sends; kept ones whose pause is over; or the end: once completed and drained.
    private async Task<Work> WaitForWorkAsync(CancellationToken stopping)
    {
        while (true)
        {
            while (_wake.Reader.TryRead(out _))
            {
            }

            bool pause;
            lock (_gate)
            {
                if (_fault is not null || (!_sending && _waiting.Count > 0))
                {
                    return Work.New;
                }

                if (_completed && _waiting.Count == 0)
                {
                    return Work.Stop;
                }

                pause = !_sending && _backlog.Count > 0;
            }

            if (!pause)
            {
                await _wake.Reader.WaitToReadAsync(stopping);
                continue;
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timer.CancelAfter(RetryPause);
            try
            {
                await _wake.Reader.WaitToReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return Work.PauseOver;
            }
        }
    }

    private ExceptionDispatchInfo? TakeFault()
    {
        lock (_gate)
        {
            var fault = _fault;
            _fault = null;
            return fault;
        }
    }

    // Takes the waiting entries (up to a batch) and the right to send, unless someone sends; kept entries alone only
    // after their pause.
    private bool TryTake(List<Pending> batch, bool pauseOver)
    {
        lock (_gate)
        {
            if (_sending)
            {
                return false;
            }

            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0 && !(pauseOver && _backlog.Count > 0))
            {
                return false;
            }

            _sending = true;
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

    internal sealed record Pending(OrderEntry Entry, LogPosition? Position, TaskCompletionSource<ReplicaAck> Ack, ActivityContext Context);

    /// <summary>An entry's place in the follower's stream (see <see cref="Admit"/>); <see cref="StartAsync"/> once, outside the caller's lock.</summary>
    internal readonly struct Admission
    {
        private readonly FollowerPump? _pump;
        private readonly Pending? _alone;
        private readonly Task<ReplicaAck>? _answer;
        private readonly CancellationToken _stopping;

        internal Admission(Task<ReplicaAck> answer) => _answer = answer;

        internal Admission(FollowerPump pump, Pending alone, CancellationToken stopping)
        {
            _pump = pump;
            _alone = alone;
            _stopping = stopping;
        }

        /// <summary>The follower's answer: the entry's own request when it goes alone (started here), else its batch's.</summary>
        public Task<ReplicaAck> StartAsync() => _alone is null ? _answer! : _pump!.SendAloneAsync(_alone, _stopping);
    }
}
