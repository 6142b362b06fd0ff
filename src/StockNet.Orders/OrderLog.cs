using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// The durable order log of one replica. Every write commits to SQLite (WAL, synchronous=NORMAL: a
/// committed write survives kill -9) before the in-memory index sees it, so memory never holds an
/// order the disk lost. Writes are serialized by one lock; reads are lock-free on the index.
/// Every stored entry carries an epoch (0 for entries from seed peers that sent none).
/// </summary>
public sealed partial class OrderLog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<long, OrderEntry> _byNumber = new();
    private readonly ConcurrentDictionary<string, long> _byKey = new(StringComparer.Ordinal);
    private long _max = -1;
    private long _epoch;
    private long _watermark;
    private bool _maxRemoved;

    private OrderLog(SqliteConnection connection) => _connection = connection;

    /// <summary>
    /// Opens (creating if needed) the log at <paramref name="path"/> and loads it into memory. A log that
    /// cannot be opened is an <see cref="IOException"/>, which the service runner turns into exit code 2.
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

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        var log = new OrderLog(connection);
        try
        {
            connection.Open();
            log.CreateSchema();
            log.Load();
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>The highest transaction number held, -1 when empty.</summary>
    public long MaxTransaction => Volatile.Read(ref _max);

    /// <summary>The highest epoch this replica has seen, persisted so fencing survives a restart.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public int Count => _byNumber.Count;

    public bool TryGet(long number, out OrderEntry entry) => _byNumber.TryGetValue(number, out entry!);

    public bool TryGetByKey(string key, out long number) => _byKey.TryGetValue(key, out number);

    /// <summary>Every entry with a number greater than <paramref name="number"/>, in number order.</summary>
    public OrderEntry[] EntriesAfter(long number)
    {
        var entries = new List<OrderEntry>(Math.Max(0, _byNumber.Count));
        foreach (var pair in _byNumber)
        {
            if (pair.Key > number)
            {
                entries.Add(pair.Value);
            }
        }

        entries.Sort(static (a, b) => a.TransactionNumber.CompareTo(b.TransactionNumber));
        return [.. entries];
    }

    /// <summary>Appends a new entry; refuses a number or idempotency key already present.</summary>
    public void Append(OrderEntry entry)
    {
        entry = Normalize(entry);
        lock (_writeLock)
        {
            if (_byNumber.ContainsKey(entry.TransactionNumber))
            {
                throw new InvalidOperationException($"Transaction {entry.TransactionNumber} is already in the log.");
            }

            if (entry.IdempotencyKey is { } key && _byKey.ContainsKey(key))
            {
                throw new InvalidOperationException($"Idempotency key '{key}' is already in the log.");
            }

            InsertRow(entry);
            Index(entry);
            RaiseEpochLocked(entry.Epoch!.Value);
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
                if (entry.Epoch < _epoch)
                {
                    // Checked under the write lock that raises the epoch too: a replication that passed the
                    // fence just before a new leader's announcement cannot land after that leader's resync.
                    continue;
                }

                if (!_byNumber.TryGetValue(entry.TransactionNumber, out var held) || (held.Epoch <= entry.Epoch && held != entry))
                {
                    accepted.Add(entry);
                }
            }

            ApplyLocked(new LogChanges(accepted, []));
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
            if (entry.Epoch < _epoch
                || (_byNumber.TryGetValue(entry.TransactionNumber, out var held) && (held.Epoch > entry.Epoch || held == entry)))
            {
                return false;
            }

            // INSERT OR REPLACE also removes a row holding this key at another number; memory mirrors it.
            InsertRow(entry);
            Unindex(entry.TransactionNumber);
            if (entry.IdempotencyKey is { } key && _byKey.TryGetValue(key, out var other))
            {
                Unindex(other);
            }

            Index(entry);
            RecomputeMaxIfRemoved();
            ResetWatermarkIfKeysDropped();
            RaiseEpochLocked(entry.Epoch!.Value);
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

            WriteEpoch(epoch);
            Volatile.Write(ref _epoch, epoch);
            return true;
        }
    }

    /// <summary>Applies deletes then upserts in one transaction; an upsert takes its key away from any other number.</summary>
    public void Apply(LogChanges changes)
    {
        lock (_writeLock)
        {
            ApplyLocked(changes);
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
            var changes = plan(_byNumber);
            ApplyLocked(changes);
            return changes;
        }
    }

    public void Dispose() => _connection.Dispose();

    private void ApplyLocked(LogChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var upserts = changes.Upserts.Select(Normalize).ToList();
        var epoch = Math.Max(_epoch, upserts.Count == 0 ? 0 : upserts.Max(e => e.Epoch!.Value));
        WriteBatch(changes.Deletes, upserts, epoch);
        Volatile.Write(ref _epoch, epoch);
        foreach (var number in changes.Deletes)
        {
            Unindex(number);
        }

        foreach (var entry in upserts)
        {
            Unindex(entry.TransactionNumber);
            if (entry.IdempotencyKey is { } key && _byKey.TryGetValue(key, out var other))
            {
                Unindex(other);
            }

            Index(entry);
        }

        RecomputeMaxIfRemoved();
        ResetWatermarkIfKeysDropped();
    }

    // An entry proves its epoch was announced; fencing must know it after a restart.
    private void RaiseEpochLocked(long epoch)
    {
        if (epoch > _epoch)
        {
            WriteEpoch(epoch);
            Volatile.Write(ref _epoch, epoch);
        }
    }

    private void Index(OrderEntry entry)
    {
        _byNumber[entry.TransactionNumber] = entry;
        if (entry.IdempotencyKey is { } key)
        {
            _byKey[key] = entry.TransactionNumber;
        }

        if (entry.TransactionNumber > _max)
        {
            Volatile.Write(ref _max, entry.TransactionNumber);
        }
    }

    private void Unindex(long number)
    {
        if (!_byNumber.TryRemove(number, out var old))
        {
            return;
        }

        if (old.IdempotencyKey is { } key)
        {
            _byKey.TryRemove(new KeyValuePair<string, long>(key, number));
            _removedKeys.Add(key);
        }

        _maxRemoved |= number == _max;
    }

    // Scanning for the maximum is O(n), so it runs only when the entry holding it went away (merges, resyncs).
    private void RecomputeMaxIfRemoved()
    {
        if (!_maxRemoved)
        {
            return;
        }

        _maxRemoved = false;
        var max = -1L;
        foreach (var pair in _byNumber)
        {
            max = Math.Max(max, pair.Key);
        }

        Volatile.Write(ref _max, max);
    }

    /// <summary>Entries from seed peers carry no epoch (stored as 0) and an empty key means none.</summary>
    internal static OrderEntry Normalize(OrderEntry entry) =>
        entry.Epoch is null || entry.IdempotencyKey is { Length: 0 }
            ? entry with { Epoch = entry.Epoch ?? 0, IdempotencyKey = string.IsNullOrEmpty(entry.IdempotencyKey) ? null : entry.IdempotencyKey }
            : entry;
}
