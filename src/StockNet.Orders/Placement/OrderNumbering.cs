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
/// it is logged as <see cref="OrderState.NotExecuted"/>, so the hole says what it is. Each logged entry is handed
/// to replication under the same lock, so followers receive the leader's writes in the order of their positions.
/// </summary>
public sealed class OrderNumbering(OrderLog log, ReplicaState state, KeysInFlight keysInFlight, ReplicationManager replication)
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
    /// number, when another entry holds it) and starts its replication. A key already logged answers its entry instead.
    /// An adoption (<paramref name="adopting"/>) may log while its leader still recovers, and yields to a key an
    /// order request holds right now.
    /// </summary>
    public LogAttempt TryLog(TradeRequest trade, string key, long epoch, long? wanted, CancellationToken cancellationToken, bool adopting = false)
    {
        lock (_lock)
        {
            if (log.TryGetByKey(key, out var known))
            {
                return LogAttempt.KeyHeld(known);
            }

            if (adopting && keysInFlight.Contains(key))
            {
                return LogAttempt.InFlight;
            }

            if (!Leads(epoch, recoveringToo: adopting))
            {
                return LogAttempt.NotLeader;
            }

            var number = NumberFor(wanted);
            var entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, key, epoch);
            if (log.TryAppend(entry) is not { } position)
            {
                return LogAttempt.NotLeader;
            }

            _next = Math.Max(_next, number + 1);
            return LogAttempt.Logged(entry, replication.ReplicateAsync(entry, position, cancellationToken));
        }
    }

    /// <summary>
    /// Logs <paramref name="number"/> as reserved for <paramref name="trade"/>, which the catalog refused, and answers its
    /// replication (false: a follower knows a newer epoch); null when nothing was logged.
    /// </summary>
    public Task<bool>? TryLogNotExecuted(TradeRequest trade, long number, long epoch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Leads(epoch, recoveringToo: false) || log.TryGet(number, out _))
            {
                return null;
            }

            // No key: the key never traded, so a retry with it must trade afresh.
            var entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, null, epoch, OrderState.NotExecuted);
            return log.TryAppend(entry) is { } position ? replication.ReplicateAsync(entry, position, cancellationToken) : null;
        }
    }

    private bool Leads(long epoch, bool recoveringToo) =>
        state.Current is var current && current.Epoch == epoch
        && (current.Role == ReplicaRole.Leader || (recoveringToo && current.Role == ReplicaRole.RecoveringLeader));

    /// <summary>The wanted number if no other entry holds it (a deposed leader may have journaled it too), else the next one.</summary>
    private long NumberFor(long? wanted) =>
        wanted is { } number && number >= 0 && !log.TryGet(number, out _) ? number : Math.Max(_next, log.MaxTransaction + 1);
}

/// <summary>What <see cref="OrderNumbering.TryLog"/> did; <see cref="Replicated"/> is false when a follower reported a newer epoch.</summary>
public sealed record LogAttempt(LogAttemptKind Kind, OrderEntry? Entry, Task<bool>? Replicated = null)
{
    public static LogAttempt NotLeader { get; } = new(LogAttemptKind.NotLeader, null);

    public static LogAttempt InFlight { get; } = new(LogAttemptKind.InFlight, null);

    public static LogAttempt Logged(OrderEntry entry, Task<bool> replicated) => new(LogAttemptKind.Logged, entry, replicated);

    public static LogAttempt KeyHeld(OrderEntry entry) => new(LogAttemptKind.KeyHeld, entry);
}

public enum LogAttemptKind
{
    /// <summary>Appended as a new entry.</summary>
    Logged,

    /// <summary>The key was logged already; <see cref="LogAttempt.Entry"/> holds it.</summary>
    KeyHeld,

    /// <summary>An order request holds the key right now.</summary>
    InFlight,

    /// <summary>This replica no longer leads that epoch.</summary>
    NotLeader,
}
