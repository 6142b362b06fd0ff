using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// The durable order log of one replica, held in SQLite (WAL, synchronous=NORMAL: a committed write survives
/// kill -9). Memory holds no entry: a lookup by number or by idempotency key is one indexed read on a pooled
/// read connection, and opening the log reads its metadata and the highest number, never its history.
/// Writes are serialized by one lock and each is one transaction, so the epoch, the watermark and the
/// entries never disagree on disk. Every stored entry carries an epoch (0 for entries from seed peers that
/// sent none), a state (see <see cref="OrderState"/>) and the position of the write that put it there in the
/// append sequence (see OrderLog.Sequence.cs).
/// </summary>
public sealed partial class OrderLog : IDisposable
{
    /// <summary>Entries per page when the log is read in order (streamed responses, export).</summary>
    public const int PageSize = 1_000;

    private const string EpochKey = "epoch";
    private const string WatermarkKey = "journal_watermark";

    private readonly LogConnection _writer;
    private readonly LogReaders _readers;
    private readonly Lock _writeLock = new();
    private long _max;
    private long _epoch;

    private OrderLog(LogConnection writer, LogReaders readers)
    {
        _writer = writer;
        _readers = readers;
    }

    /// <summary>
    /// Opens (creating or migrating if needed) the log at <paramref name="path"/>. A log that cannot be opened
    /// is an <see cref="IOException"/>, which the service runner turns into exit code 2.
    /// </summary>
    public static OrderLog Open(string path)
    {
        try
        {
            return OpenOrThrow(path);
        }
        catch (Exception ex) when (ex is SqliteException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot open the order log at '{path}': {ex.Message}", ex);
        }
    }

    private static OrderLog OpenOrThrow(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var writer = new LogConnection(connectionString, cacheKibibytes: 2048);
        try
        {
            LogSchema.Migrate(writer.Connection);
            var log = new OrderLog(writer, new LogReaders(connectionString));
            log._max = writer.ReadMaxNumber();
            log._epoch = writer.ReadMeta(EpochKey) ?? 0;
            log._watermark = writer.ReadMeta(WatermarkKey) ?? 0;
            log._history = new LogHistory(writer.ReadMeta(IndexKey) ?? 0, writer.ReadEpochs());
            return log;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>The highest transaction number held, -1 when empty.</summary>
    public long MaxTransaction => Volatile.Read(ref _max);

    /// <summary>The highest epoch this replica has seen, persisted so fencing survives a restart.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>How many entries the log holds: a scan, for tests and tools, never on a request path.</summary>
    public long CountEntries() => _readers.Read(static c => c.CountRows());

    /// <summary>The entry at <paramref name="number"/>; a tombstone is no entry.</summary>
    public bool TryGet(long number, out OrderEntry entry)
    {
        var found = _readers.Read(c => c.TryRead(number, out var row) && row.Entry.State != OrderState.Removed ? row.Entry : null);
        entry = found!;
        return found is not null;
    }

    /// <summary>The entry holding <paramref name="key"/>, found through the key's index.</summary>
    public bool TryGetByKey(string key, out OrderEntry entry)
    {
        var found = _readers.Read(c => c.TryReadByKey(key, out var row) ? row.Entry : null);
        entry = found!;
        return found is not null;
    }

    public bool HoldsKey(string key) => TryGetByKey(key, out _);

    /// <summary>Up to <paramref name="limit"/> entries numbered above <paramref name="after"/>, in number order.</summary>
    public List<OrderEntry> ReadPage(long after, int limit) => _readers.Read(c => c.ReadPage(after, limit));

    /// <summary>Every entry numbered above <paramref name="after"/>, in number order, read a page at a time.</summary>
    public IEnumerable<OrderEntry> ReadAfter(long after)
    {
        while (true)
        {
            var page = ReadPage(after, PageSize);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].TransactionNumber;
        }
    }

    /// <summary>Appends a new entry as the next write of its epoch; refuses (throws) a number or an idempotency key already present.</summary>
    public LogPosition Append(OrderEntry entry) =>
        TryAppend(entry) ?? throw new InvalidOperationException($"Epoch {entry.Epoch} is older than a write already in the log.");

    /// <summary>
    /// The leader's write: appends <paramref name="entry"/> at the next index of its epoch and answers that position;
    /// null when a newer epoch has already written here (this leader was replaced). A tombstone at the number is
    /// overwritten; a live entry at the number, or the key at any number, throws.
    /// </summary>
    public LogPosition? TryAppend(OrderEntry entry)
    {
        entry = Normalize(entry);
        lock (_writeLock)
        {
            if (_writer.TryRead(entry.TransactionNumber, out var held) && held.Entry.State != OrderState.Removed)
            {
                throw new InvalidOperationException($"Transaction {entry.TransactionNumber} is already in the log.");
            }

            if (entry.IdempotencyKey is { } key && _writer.TryReadByKey(key, out _))
            {
                throw new InvalidOperationException($"Idempotency key '{key}' is already in the log.");
            }

            var epoch = entry.Epoch ?? 0;
            if (!_history.CanWriteAt(epoch))
            {
                return null;
            }

            var next = _history.Append(epoch);
            WriteLocked([new LogRecord(entry, next.LastIndex, epoch)], [], next);
            return new LogPosition(next.LastIndex, epoch);
        }
    }

    /// <summary>
    /// Stores replicated entries as <see cref="TryStore"/> does, in one transaction, at the positions the leader gave
    /// them (none: outside the sequence, compared again at the next recovery); returns what it wrote and what it refused
    /// for a newer epoch, as decided under the write lock.
    /// </summary>
    public StoreResult StoreMany(IReadOnlyList<OrderEntry> entries, IReadOnlyList<LogPosition>? positions = null)
    {
        try
        {
            return StoreManyLocked(entries, positions);
        }
        finally
        {
            AfterStore?.Invoke();
        }
    }

    /// <summary>
    /// A test seam: runs after a replicated store let go of the write lock, before its caller answers (a test raises a
    /// newer epoch from it, as an announcement arriving at that moment would).
    /// </summary>
    internal Action? AfterStore { get; set; }

    private StoreResult StoreManyLocked(IReadOnlyList<OrderEntry> entries, IReadOnlyList<LogPosition>? positions)
    {
        lock (_writeLock)
        {
            var accepted = new List<LogRecord>(entries.Count);
            var stale = 0;
            var next = _history;
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = Normalize(entries[i]);
                var record = positions is null ? new LogRecord(entry, Unplaced, 0) : new LogRecord(entry, positions[i].Index, positions[i].Epoch);
                switch (JudgeLocked(record))
                {
                    case Verdict.Write:
                        next = next.Admit(record.Index, record.Epoch);
                        accepted.Add(record);
                        break;
                    case Verdict.Stale:
                        stale++;
                        break;
                }
            }

            // A leader's batch is one epoch; its writes extend our claim once they are consecutive.
            var epoch = positions is { Count: > 0 } && positions.All(p => p.Epoch == positions[0].Epoch) ? positions[0].Epoch : (long?)null;
            var decidedAt = _epoch;
            WriteLocked(accepted, [], next, epoch);
            return new StoreResult(accepted.Count, stale, decidedAt);
        }
    }

    /// <summary>
    /// Stores a replicated entry at its number, overwriting an entry of the same or an older epoch;
    /// returns false (changing nothing) when the slot holds a newer-epoch entry or this very entry.
    /// </summary>
    public bool TryStore(OrderEntry entry) => StoreMany([entry]).Written == 1;

    /// <summary>Raises the persisted epoch; returns false (and changes nothing) when <paramref name="epoch"/> is not newer.</summary>
    public bool TryRaiseEpoch(long epoch)
    {
        lock (_writeLock)
        {
            if (epoch <= _epoch)
            {
                return false;
            }

            _writer.WriteMeta(EpochKey, epoch);
            Volatile.Write(ref _epoch, epoch);
            return true;
        }
    }

    public void Dispose()
    {
        _readers.Dispose();
        _writer.Dispose();
    }

    // Judged under the write lock that raises the epoch too: a replication that passed the fence just before a
    // new leader's announcement cannot land after that leader's resync.
    // The same entry at another position is written again, so the row records the leader's position.
    private Verdict JudgeLocked(LogRecord record)
    {
        if (record.Entry.Epoch < _epoch)
        {
            return Verdict.Stale;
        }

        if (!_writer.TryRead(record.Entry.TransactionNumber, out var held))
        {
            return Verdict.Write;
        }

        if (held.Entry.Epoch > record.Entry.Epoch)
        {
            return Verdict.Stale;
        }

        return held.Entry != record.Entry || (record.Index != Unplaced && held.Record != record) ? Verdict.Write : Verdict.Held;
    }

    private enum Verdict
    {
        /// <summary>Written (new, or over an entry of the same or an older epoch).</summary>
        Write,

        /// <summary>Already held as it is: nothing to write, and no refusal.</summary>
        Held,

        /// <summary>Refused: the log has seen a newer epoch than the entry's.</summary>
        Stale,
    }

    /// <summary>
    /// Deletes then upserts in one transaction that also raises the epoch to the newest entry's, moves the watermark
    /// back when a key left the log, and persists <paramref name="next"/> (extended over consecutive writes of
    /// <paramref name="advanceEpoch"/> once the rows are in); memory follows only after the commit.
    /// </summary>
    private void WriteLocked(List<LogRecord> upserts, IReadOnlyList<long> deletes, LogHistory next, long? advanceEpoch = null)
    {
        if (upserts.Count == 0 && deletes.Count == 0 && next == _history)
        {
            return;
        }

        var epoch = _epoch;
        var watermark = _watermark;
        var history = next;
        var lost = _writer.InTransaction(() =>
        {
            var removed = new List<LogConnection.Row>();
            foreach (var number in deletes)
            {
                if (_writer.TryRead(number, out var held))
                {
                    removed.Add(held);
                    _writer.Delete(number);
                }
            }

            foreach (var record in upserts)
            {
                var entry = record.Entry;
                if (_writer.TryRead(entry.TransactionNumber, out var held) && held.Entry.IdempotencyKey != entry.IdempotencyKey)
                {
                    removed.Add(held);
                }

                _writer.Upsert(entry, watermark, record.Index, record.Epoch);
                epoch = Math.Max(epoch, entry.Epoch ?? 0);
            }

            if (advanceEpoch is { } writer)
            {
                history = history.Advance(writer, _writer.HoldsWriteAt);
            }

            WriteHistoryLocked(history);
            if (epoch > _epoch)
            {
                _writer.WriteMeta(EpochKey, epoch);
            }

            var lostFloor = LostKeyFloor(removed);
            if (lostFloor < watermark)
            {
                watermark = lostFloor;
                _writer.WriteMeta(WatermarkKey, watermark);
            }

            return lostFloor != long.MaxValue;
        });

        Volatile.Write(ref _max, _writer.ReadMaxNumber());
        Volatile.Write(ref _epoch, epoch);
        Volatile.Write(ref _history, history);
        if (lost)
        {
            Interlocked.Increment(ref _watermarkResets);
            Volatile.Write(ref _watermark, watermark);
        }
    }

    /// <summary>
    /// Entries from seed peers carry no epoch (stored as 0), an empty key means none, and an executed entry is
    /// written without a state (as seed peers expect).
    /// </summary>
    internal static OrderEntry Normalize(OrderEntry entry) =>
        entry.Epoch is null || entry.State is OrderState.Executed || entry.IdempotencyKey is { Length: 0 }
            ? entry with
            {
                Epoch = entry.Epoch ?? 0,
                State = entry.IsExecuted ? null : entry.State,
                IdempotencyKey = string.IsNullOrEmpty(entry.IdempotencyKey) ? null : entry.IdempotencyKey,
            }
            : entry;
}
