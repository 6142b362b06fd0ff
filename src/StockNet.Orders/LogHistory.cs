using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// Where a log stands in the append sequence: <see cref="LastIndex"/>, the index up to which it holds every write
/// of its history, and <see cref="Epochs"/>, the first index each epoch's leader wrote (one line per epoch). Rows
/// may sit above <see cref="LastIndex"/> (received out of order, or from a history this log no longer claims):
/// they are pending, and every recovery compares them again. Immutable: a write publishes a new one.
/// </summary>
public sealed class LogHistory(long lastIndex, IReadOnlyList<EpochStart> epochs)
{
    public static LogHistory Empty { get; } = new(0, []);

    public long LastIndex { get; } = lastIndex;

    public IReadOnlyList<EpochStart> Epochs { get; } = epochs;

    public static LogHistory From(LogPositionReply reply) => new(reply.Index, reply.Epochs);

    public LogPositionReply ToReply() => new(LastIndex, [.. Epochs]);

    /// <summary>The epoch of the write at <paramref name="index"/>; null outside 1..<see cref="LastIndex"/>.</summary>
    public long? EpochAt(long index) => index >= 1 && index <= LastIndex ? LineAt(index)?.Epoch : null;

    /// <summary>
    /// The highest index at which both logs hold the same write: the same epoch there, since only that epoch's
    /// leader writes at it and every log copies its writes in order. 0 when they share nothing.
    /// </summary>
    public static long Agreement(LogHistory a, LogHistory b)
    {
        var index = Math.Min(a.LastIndex, b.LastIndex);
        while (index > 0)
        {
            if (a.LineAt(index) is not { } ours || b.LineAt(index) is not { } theirs)
            {
                return 0;
            }

            if (ours.Epoch == theirs.Epoch)
            {
                return index;
            }

            // Both epochs hold from the later start up to here, so nothing in between can agree.
            index = Math.Max(ours.Start, theirs.Start) - 1;
        }

        return 0;
    }

    /// <summary>A leader may write at <paramref name="epoch"/> unless a newer epoch already wrote here.</summary>
    public bool CanWriteAt(long epoch) => Epochs.Count == 0 || Epochs[^1].Epoch <= epoch;

    /// <summary>One more write by the leader of <paramref name="epoch"/>.</summary>
    public LogHistory Append(long epoch) => new(LastIndex + 1, Opened(epoch, LastIndex + 1));

    /// <summary>The leader of <paramref name="epoch"/> writes from the next index on (recorded even before its first write).</summary>
    public LogHistory Open(long epoch) => new(LastIndex, Opened(epoch, LastIndex + 1));

    /// <summary>Claims no write above <paramref name="index"/> (never more than now): rows above it become pending.</summary>
    public LogHistory Truncate(long index) =>
        index >= LastIndex ? this : new(Math.Max(0, index), [.. Epochs.Where(line => line.Start <= index)]);

    /// <summary>A write at <paramref name="index"/> of <paramref name="epoch"/> that contradicts our history ends our claim below it.</summary>
    public LogHistory Admit(long index, long epoch) =>
        index <= LastIndex && EpochAt(index) != epoch ? Truncate(index - 1) : this;

    /// <summary>After a resync from a leader: our history up to <paramref name="agreed"/>, then the leader's, through <paramref name="through"/>.</summary>
    public LogHistory Adopt(long agreed, long through, IEnumerable<EpochStart> after) =>
        new(through, [.. Epochs.Where(line => line.Start <= agreed), .. after.Where(line => line.Start > agreed)]);

    /// <summary>The epoch lines that begin after <paramref name="index"/>.</summary>
    public IEnumerable<EpochStart> After(long index) => Epochs.Where(line => line.Start > index);

    /// <summary>
    /// Extends the claim over consecutive writes of <paramref name="epoch"/> that <paramref name="holds"/> finds, when
    /// that epoch is our newest line: writes of the current leader that arrived after a gap count once it is filled.
    /// </summary>
    public LogHistory Advance(long epoch, Func<long, long, bool> holds)
    {
        if (Epochs.Count == 0 || Epochs[^1].Epoch != epoch)
        {
            return this;
        }

        var index = LastIndex;
        while (holds(index + 1, epoch))
        {
            index++;
        }

        return index == LastIndex ? this : new(index, Epochs);
    }

    private EpochStart? LineAt(long index)
    {
        for (var i = Epochs.Count - 1; i >= 0; i--)
        {
            if (Epochs[i].Start <= index)
            {
                return Epochs[i];
            }
        }

        return null;
    }

    private IReadOnlyList<EpochStart> Opened(long epoch, long start) =>
        Epochs.Count > 0 && Epochs[^1].Epoch == epoch ? Epochs : [.. Epochs, new EpochStart(epoch, start)];
}
