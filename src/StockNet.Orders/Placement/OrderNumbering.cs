using StockNet.Contracts;
using StockNet.Orders.Leadership;
using StockNet.Orders.Replication;

namespace StockNet.Orders.Placement;

/// <summary>
/// Hands out transaction numbers on the leader and logs entries under them. Guarantee: no number is given
/// twice within a term and none is below the merged log's maximum at the start of the term; every append
/// happens under one lock, after checking that this replica still leads the epoch and that the key is not
/// logged yet, so one key is one entry whichever writer (an order, an adoption) gets there first.
/// A number reserved for a trade the catalog refused is handed back when nothing came after it; otherwise
/// it is logged as <see cref="OrderState.NotExecuted"/>, so the hole says what it is.
/// </summary>
public sealed class OrderNumbering(OrderLog log, ReplicaState state, ReplicationManager replication)
{
    private readonly Lock _lock = new();
    private long _next;

    /// <summary>
    /// Called by the recovery of <paramref name="epoch"/> once its merge is done: numbering continues after the
    /// merged maximum. Refused unless this replica is recovering that very epoch, so an abandoned older recovery
    /// finishing late cannot move the counter back under numbers the new term already reserved.
    /// </summary>
    public bool TryResetNextNumber(long epoch)
    {
        lock (_lock)
        {
            if (state.Current is not { Role: ReplicaRole.RecoveringLeader } recovering || recovering.Epoch != epoch)
            {
                return false;
            }

            _next = log.MaxTransaction + 1;
            return true;
        }
    }

    public bool TryReserve(long epoch, out long number)
    {
        lock (_lock)
        {
            number = Math.Max(_next, log.MaxTransaction + 1);
            if (!Leads(epoch, recoveringToo: false))
            {
                return false;
            }

            _next = number + 1;
            return true;
        }
    }

    /// <summary>Hands <paramref name="number"/> back when it is the last one reserved; false when a later one was given out.</summary>
    public bool TryRelease(long number)
    {
        lock (_lock)
        {
            if (_next != number + 1 || log.TryGet(number, out _))
            {
                return false;
            }

            _next = number;
            return true;
        }
    }

    /// <summary>
    /// Logs <paramref name="trade"/> under <paramref name="key"/> at <paramref name="wanted"/> (or the next free
    /// number, when another entry holds it). A key already logged answers its entry instead. The caller holds the
    /// key's claim in <see cref="KeysInFlight"/>, so no other writer logs it meanwhile. The entry's place in each follower's
    /// stream is given under the same lock, so followers receive the leader's writes in the order of their positions; its
    /// requests start after the lock, so no writer waits while another's request is composed and started.
    /// An adoption (<paramref name="adopting"/>) may log while its leader still recovers.
    /// </summary>
    public LogAttempt TryLog(TradeRequest trade, string key, long epoch, long? wanted, CancellationToken cancellationToken, bool adopting = false)
    {
        OrderEntry entry;
        FollowerPump.Admission[] admitted;
        lock (_lock)
        {
            if (log.TryGetByKey(key, out var known))
            {
                return LogAttempt.KeyHeld(known);
            }

            if (!Leads(epoch, recoveringToo: adopting))
            {
                return LogAttempt.NotLeader;
            }

            var number = NumberFor(wanted);
            entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, key, epoch);
            if (log.TryAppend(entry) is not { } position)
            {
                return LogAttempt.NotLeader;
            }

            _next = Math.Max(_next, number + 1);
            admitted = replication.Admit(entry, position);
        }

        return LogAttempt.Logged(entry, replication.ReplicateAdmittedAsync(entry, admitted, cancellationToken));
    }

    /// <summary>
    /// Logs <paramref name="number"/> as reserved for <paramref name="trade"/>, which the catalog refused, and answers its
    /// replication; null when nothing was logged.
    /// </summary>
    public Task<ReplicationOutcome>? TryLogNotExecuted(TradeRequest trade, long number, long epoch, CancellationToken cancellationToken)
    {
        OrderEntry entry;
        FollowerPump.Admission[] admitted;
        lock (_lock)
        {
            if (!Leads(epoch, recoveringToo: false) || log.TryGet(number, out _))
            {
                return null;
            }

            // No key: the key never traded, so a retry with it must trade afresh.
            entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, null, epoch, OrderState.NotExecuted);
            if (log.TryAppend(entry) is not { } position)
            {
                return null;
            }

            admitted = replication.Admit(entry, position);
        }

        return replication.ReplicateAdmittedAsync(entry, admitted, cancellationToken);
    }

    /// <summary>True while this replica is the serving leader of <paramref name="epoch"/>.</summary>
    public bool Leads(long epoch) => Leads(epoch, recoveringToo: false);

    private bool Leads(long epoch, bool recoveringToo) =>
        state.Current is var current && current.Epoch == epoch
        && (current.Role == ReplicaRole.Leader || (recoveringToo && current.Role == ReplicaRole.RecoveringLeader));

    /// <summary>The wanted number if no other entry holds it (a deposed leader may have journaled it too), else the next one.</summary>
    private long NumberFor(long? wanted) =>
        wanted is { } number && number >= 0 && !log.TryGet(number, out _) ? number : Math.Max(_next, log.MaxTransaction + 1);
}

/// <summary>What <see cref="OrderNumbering.TryLog"/> did; a logged entry comes with its replication under way.</summary>
public sealed record LogAttempt(LogAttemptKind Kind, OrderEntry? Entry, Task<ReplicationOutcome>? Replicated = null)
{
    public static LogAttempt NotLeader { get; } = new(LogAttemptKind.NotLeader, null);

    public static LogAttempt Logged(OrderEntry entry, Task<ReplicationOutcome> replicated) => new(LogAttemptKind.Logged, entry, replicated);

    public static LogAttempt KeyHeld(OrderEntry entry) => new(LogAttemptKind.KeyHeld, entry);
}

public enum LogAttemptKind
{
    /// <summary>Appended as a new entry.</summary>
    Logged,

    /// <summary>The key was logged already; <see cref="LogAttempt.Entry"/> holds it.</summary>
    KeyHeld,

    /// <summary>This replica no longer leads that epoch.</summary>
    NotLeader,
}
