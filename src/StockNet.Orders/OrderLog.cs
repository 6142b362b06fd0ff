using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// The durable order log of one replica, held in SQLite (WAL, synchronous=NORMAL: a committed write survives
/// kill -9). Memory holds no entry: a lookup by number or by idempotency key is one indexed read on a pooled
/// read connection, and opening the log reads its metadata and the highest number, never its history.
/// Writes are serialized by one lock and each is one transaction, so the epoch, the watermark and the
/// entries never disagree on disk. Every stored entry carries an epoch (0 for entries from seed peers that
/// sent none) and a state (see <see cref="OrderState"/>).
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

    public bool TryGet(long number, out OrderEntry entry)
    {
        var found = _readers.Read(c => c.TryRead(number, out var row) ? row.Entry : null);
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

    /// <summary>Appends a new entry; refuses (throws) a number or an idempotency key already present.</summary>
    public void Append(OrderEntry entry)
    {
        entry = Normalize(entry);
        lock (_writeLock)
        {
            if (_writer.TryRead(entry.TransactionNumber, out _))
            {
                throw new InvalidOperationException($"Transaction {entry.TransactionNumber} is already in the log.");
            }

            if (entry.IdempotencyKey is { } key && _writer.TryReadByKey(key, out _))
            {
                throw new InvalidOperationException($"Idempotency key '{key}' is already in the log.");
            }

            WriteLocked([entry], []);
        }
    }

    /// <summary>Stores replicated entries as <see cref="TryStore"/> does, in one transaction; returns how many were written.</summary>
    public int StoreMany(IReadOnlyList<OrderEntry> entries)
    {
        lock (_writeLock)
        {
            var accepted = new List<OrderEntry>(entries.Count);
            foreach (var raw in entries)
            {
                var entry = Normalize(raw);
                if (MayStoreLocked(entry))
                {
                    accepted.Add(entry);
                }
            }

            WriteLocked(accepted, []);
            return accepted.Count;
        }
    }

    /// <summary>
    /// Stores a replicated entry at its number, overwriting an entry of the same or an older epoch;
    /// returns false (changing nothing) when the slot holds a newer-epoch entry or this very entry.
    /// </summary>
    public bool TryStore(OrderEntry entry)
    {
        entry = Normalize(entry);
        lock (_writeLock)
        {
            if (!MayStoreLocked(entry))
            {
                return false;
            }

            WriteLocked([entry], []);
            return true;
        }
    }

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

    /// <summary>
    /// Plans and applies changes under the write lock, so that no other write (such as a replicated
    /// entry arriving meanwhile) slips between reading the log and changing it.
    /// </summary>
    public LogChanges Reconcile(Func<IReadOnlyDictionary<long, OrderEntry>, LogChanges> plan)
    {
        lock (_writeLock)
        {
            var current = new Dictionary<long, OrderEntry>();
            foreach (var entry in ReadAfter(-1))
            {
                current[entry.TransactionNumber] = entry;
            }

            var changes = plan(current);
            WriteLocked([.. changes.Upserts.Select(Normalize)], changes.Deletes);
            return changes;
        }
    }

    public void Dispose()
    {
        _readers.Dispose();
        _writer.Dispose();
    }

    // Checked under the write lock that raises the epoch too: a replication that passed the fence just before a
    // new leader's announcement cannot land after that leader's resync.
    private bool MayStoreLocked(OrderEntry entry) =>
        entry.Epoch >= _epoch
        && (!_writer.TryRead(entry.TransactionNumber, out var held) || (held.Entry.Epoch <= entry.Epoch && held.Entry != entry));

    /// <summary>
    /// Deletes then upserts in one transaction that also raises the epoch to the newest entry's and, when a key
    /// left the log, moves the watermark back; memory follows only after the commit.
    /// </summary>
    private void WriteLocked(List<OrderEntry> upserts, IReadOnlyList<long> deletes)
    {
        if (upserts.Count == 0 && deletes.Count == 0)
        {
            return;
        }

        var epoch = _epoch;
        var watermark = _watermark;
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

            foreach (var entry in upserts)
            {
                if (_writer.TryRead(entry.TransactionNumber, out var held) && held.Entry.IdempotencyKey != entry.IdempotencyKey)
                {
                    removed.Add(held);
                }

                _writer.Upsert(entry, watermark);
                epoch = Math.Max(epoch, entry.Epoch ?? 0);
            }

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
