namespace StockNet.FrontEnd.Leadership;

/// <summary>
/// The current leader as one reference swapped atomically; readers never lock. Also remembers the highest
/// epoch this front-end has used, so a later election always announces a newer one.
/// </summary>
public sealed class LeaderState
{
    private LeaderSnapshot? _current;
    private long _epoch;
    private long _changes;

    /// <summary>The leader requests go to, or null while none is known.</summary>
    public LeaderSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>How many times the leader changed (to another replica, another epoch, or none).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Raised after each change with the replaced and the new leader (null: none).</summary>
    public event Action<LeaderSnapshot?, LeaderSnapshot?>? Changed;

    /// <summary>The highest epoch this front-end has announced or seen.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Records an epoch seen or about to be announced; the stored epoch never goes back.</summary>
    public void ObserveEpoch(long epoch)
    {
        var seen = Interlocked.Read(ref _epoch);
        while (epoch > seen)
        {
            var previous = Interlocked.CompareExchange(ref _epoch, epoch, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// The smallest epoch above every epoch seen that belongs to elector <paramref name="electorId"/> of
    /// <paramref name="electors"/>: epochs are dealt round-robin, so two front-ends never announce the same one.
    /// </summary>
    public long NextEpoch(int electorId, int electors)
    {
        var next = Epoch + 1;
        var remainder = (int)(next % electors);
        var wanted = electorId % electors;
        return next + ((wanted - remainder + electors) % electors);
    }

    /// <summary>Installs <paramref name="next"/> (null: no leader) and cancels the replaced snapshot's token.</summary>
    public void Swap(LeaderSnapshot? next)
    {
        if (next is not null)
        {
            ObserveEpoch(next.Epoch);
        }

        var previous = Interlocked.Exchange(ref _current, next);
        if (ReferenceEquals(previous, next))
        {
            return;
        }

        previous?.MarkReplaced();
        Interlocked.Increment(ref _changes);
        Changed?.Invoke(previous, next);
    }
}
