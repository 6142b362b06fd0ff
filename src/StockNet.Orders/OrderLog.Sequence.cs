using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// The append sequence. Every write to the log gets a position (index, epoch): the leader of an epoch gives its
/// writes consecutive indexes after its log's last, followers store them at the leader's positions, and each row
/// keeps the position of the write that put it there. <see cref="History"/> says up to which index this log holds
/// every write, and which epoch wrote where. Two replicas find the last index where their histories agree
/// (<see cref="LogHistory.Agreement"/>) and exchange only the rows written after it, plus the rows at numbers one
/// of them rewrote after it: what differs, not the whole log. Rows stored without a position (an older log, a seed
/// leader) are <see cref="Unplaced"/>: above every index, so the next exchange compares them.
/// </summary>
public sealed partial class OrderLog
{
    /// <summary>The index of a row whose position is unknown: it sorts after every write, so every suffix carries it.</summary>
    public const long Unplaced = long.MaxValue;

    private const string IndexKey = "log_index";

    private LogHistory _history = LogHistory.Empty;

    public LogHistory History => Volatile.Read(ref _history);

    /// <summary>
    /// Opens a snapshot of the rows written after <paramref name="after"/>, or null when this log does not hold the
    /// write at (<paramref name="after"/>, <paramref name="epochAtAfter"/>): the asker must find the agreement again.
    /// The caller disposes it (it holds a read connection and its snapshot).
    /// </summary>
    public LogSuffix? OpenSuffix(long after, long epochAtAfter)
    {
        var lease = _readers.Lease();
        LogSuffix? suffix = null;
        try
        {
            lease.Connection.BeginRead();
            var history = new LogHistory(lease.Connection.ReadMeta(IndexKey) ?? 0, lease.Connection.ReadEpochs());
            suffix = new LogSuffix(lease, after, history);
            if (after > 0 && history.EpochAt(after) != epochAtAfter)
            {
                suffix.Dispose();
                return null;
            }

            return suffix;
        }
        catch
        {
            if (suffix is null)
            {
                lease.Connection.EndRead();
                lease.Dispose();
            }
            else
            {
                suffix.Dispose();
            }

            throw;
        }
    }

    /// <summary>The rows at <paramref name="numbers"/> (tombstones included), with their positions; absent numbers are left out.</summary>
    public List<LogRecord> ReadRecords(IEnumerable<long> numbers) => _readers.Read(c =>
    {
        var records = new List<LogRecord>();
        foreach (var number in numbers)
        {
            if (c.TryRead(number, out var row))
            {
                records.Add(row.Record);
            }
        }

        return records;
    });

    /// <summary>Every row written after <paramref name="index"/> (pending and unplaced ones included), read a page at a time.</summary>
    public IEnumerable<LogRecord> ReadWrittenAfter(long index) =>
        LogSuffix.Pages(index, (afterIndex, afterNumber, limit) => _readers.Read(c => c.ReadSuffixPage(afterIndex, afterNumber, limit)));

    /// <summary>
    /// Writes a leader's rows at their positions and deletes <paramref name="deletes"/>, if <paramref name="valid"/>
    /// still holds under the write lock. A row that contradicts our history ends our claim below it.
    /// </summary>
    public bool TryApply(IReadOnlyList<LogRecord> records, IReadOnlyList<long> deletes, Func<bool> valid)
    {
        lock (_writeLock)
        {
            if (!valid())
            {
                return false;
            }

            var next = _history;
            var upserts = new List<LogRecord>(records.Count);
            foreach (var record in records)
            {
                next = next.Admit(record.Index, record.Epoch);
                upserts.Add(record with { Entry = Normalize(record.Entry) });
            }

            WriteLocked(upserts, deletes, next);
            return true;
        }
    }

    /// <summary>Claims nothing above <paramref name="agreed"/>: before a resync rewrites what follows it.</summary>
    public bool TryTruncate(long agreed, Func<bool> valid)
    {
        lock (_writeLock)
        {
            if (!valid())
            {
                return false;
            }

            WriteLocked([], [], _history.Truncate(agreed));
            return true;
        }
    }

    /// <summary>
    /// A resync is complete: this log now holds the leader's writes through <paramref name="through"/>, so it takes the
    /// leader's epoch lines after <paramref name="agreed"/>, then extends over the leader's writes it already holds.
    /// </summary>
    public bool TryAdopt(long agreed, long through, IReadOnlyList<EpochStart> after, Func<bool> valid)
    {
        lock (_writeLock)
        {
            if (!valid())
            {
                return false;
            }

            var adopted = _history.Truncate(agreed).Adopt(agreed, through, after);
            WriteLocked([], [], adopted, adopted.Epochs.Count > 0 ? adopted.Epochs[^1].Epoch : null);
            return true;
        }
    }

    /// <summary>
    /// A new leader's merge: writes <paramref name="changes"/> as its first writes at <paramref name="epoch"/>, and
    /// re-writes at that epoch every row it held above its claim (so no row of another history sits among its own
    /// indexes). Refused when <paramref name="valid"/> fails or a newer epoch already wrote here.
    /// </summary>
    public bool TryCommitMerge(IReadOnlyList<OrderEntry> changes, long epoch, Func<bool> valid)
    {
        lock (_writeLock)
        {
            if (!valid() || !_history.CanWriteAt(epoch))
            {
                return false;
            }

            var writes = changes.Select(Normalize).ToDictionary(entry => entry.TransactionNumber);
            foreach (var pending in ReadPendingLocked())
            {
                writes.TryAdd(pending.TransactionNumber, pending);
            }

            var next = _history.Open(epoch);
            var upserts = new List<LogRecord>(writes.Count);
            foreach (var entry in writes.Values.OrderBy(entry => entry.TransactionNumber))
            {
                next = next.Append(epoch);
                upserts.Add(new LogRecord(entry, next.LastIndex, epoch));
            }

            WriteLocked(upserts, [], next);
            return true;
        }
    }

    /// <summary>
    /// Appends <paramref name="entries"/> in one transaction, each at the next position of its epoch, as a leader's
    /// writes would be: for tools that build a history while no service has the log open (the history benchmark).
    /// Numbers and keys must be new; nothing is checked but the epoch order.
    /// </summary>
    public void AppendOffline(IReadOnlyList<OrderEntry> entries)
    {
        lock (_writeLock)
        {
            var next = _history;
            var records = new List<LogRecord>(entries.Count);
            foreach (var entry in entries.Select(Normalize))
            {
                if (!next.CanWriteAt(entry.Epoch ?? 0))
                {
                    throw new InvalidOperationException($"Epoch {entry.Epoch} is older than a write already in the log.");
                }

                next = next.Append(entry.Epoch ?? 0);
                records.Add(new LogRecord(entry, next.LastIndex, entry.Epoch ?? 0));
            }

            WriteLocked(records, [], next);
        }
    }

    /// <summary>A merge without a leader (start-up with none reachable): the winners are stored outside the sequence.</summary>
    public void StorePending(IReadOnlyList<OrderEntry> changes)
    {
        lock (_writeLock)
        {
            WriteLocked([.. changes.Select(entry => new LogRecord(Normalize(entry), Unplaced, 0))], [], _history);
        }
    }

    private List<OrderEntry> ReadPendingLocked() =>
        [.. LogSuffix.Pages(_history.LastIndex, _writer.ReadSuffixPage).Select(record => record.Entry)];

    private void WriteHistoryLocked(LogHistory next)
    {
        if (next.LastIndex != _history.LastIndex)
        {
            _writer.WriteMeta(IndexKey, next.LastIndex);
        }

        if (!next.Epochs.SequenceEqual(_history.Epochs))
        {
            _writer.WriteEpochs(next.Epochs);
        }
    }
}
