using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// One SQLite connection to the order log with its statements prepared once, so a lookup is a bind and a
/// step on the primary key or the idempotency-key index. Not thread-safe: the log's writer is used under
/// its write lock, each reader by one thread at a time (see <see cref="LogReaders"/>).
/// </summary>
internal sealed class LogConnection : IDisposable
{
    private const string Columns = "transaction_number, name, type, quantity, idempotency_key, epoch, state, journal_floor, log_index, log_epoch";

    /// <summary>Tombstones are kept for replication but are no entry to anyone reading orders.</summary>
    private const string Live = "state <> 3";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public LogConnection(string connectionString, int cacheKibibytes)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using var pragma = _connection.CreateCommand();
        pragma.CommandText = $"PRAGMA cache_size = -{cacheKibibytes};";
        pragma.ExecuteNonQuery();
    }

    public SqliteConnection Connection => _connection;

    /// <summary>An entry, the journal watermark it was logged under, and the position of the write that put it there.</summary>
    public readonly record struct Row(OrderEntry Entry, long JournalFloor, long Index, long Epoch)
    {
        public LogRecord Record => new(Entry, Index, Epoch);
    }

    public bool TryRead(long number, out Row row)
    {
        var command = Prepare($"SELECT {Columns} FROM orders WHERE transaction_number = $number", ("$number", SqliteType.Integer));
        command.Parameters["$number"].Value = number;
        return ReadOne(command, out row);
    }

    public bool TryReadByKey(string key, out Row row)
    {
        var command = Prepare($"SELECT {Columns} FROM orders WHERE idempotency_key = $key", ("$key", SqliteType.Text));
        command.Parameters["$key"].Value = key;
        return ReadOne(command, out row);
    }

    /// <summary>Up to <paramref name="limit"/> entries numbered above <paramref name="after"/>, in number order.</summary>
    public List<OrderEntry> ReadPage(long after, int limit)
    {
        var command = Prepare(
            $"SELECT {Columns} FROM orders WHERE transaction_number > $after AND {Live} ORDER BY transaction_number LIMIT $limit",
            ("$after", SqliteType.Integer), ("$limit", SqliteType.Integer));
        command.Parameters["$after"].Value = after;
        command.Parameters["$limit"].Value = limit;
        return ReadPage(command, limit, reader => ReadRow(reader).Entry);
    }

    public long ReadMaxNumber() => Prepare("SELECT COALESCE(MAX(transaction_number), -1) FROM orders").ExecuteScalar() is long max ? max : -1;

    public long CountRows() => (long)Prepare($"SELECT COUNT(*) FROM orders WHERE {Live}").ExecuteScalar()!;

    /// <summary>
    /// Up to <paramref name="limit"/> rows after (<paramref name="afterIndex"/>, <paramref name="afterNumber"/>) in
    /// (position index, number) order: a suffix of the append sequence, tombstones included.
    /// </summary>
    public List<LogRecord> ReadSuffixPage(long afterIndex, long afterNumber, int limit)
    {
        var command = Prepare(
            $"SELECT {Columns} FROM orders WHERE (log_index, transaction_number) > ($index, $number) ORDER BY log_index, transaction_number LIMIT $limit",
            ("$index", SqliteType.Integer), ("$number", SqliteType.Integer), ("$limit", SqliteType.Integer));
        command.Parameters["$index"].Value = afterIndex;
        command.Parameters["$number"].Value = afterNumber;
        command.Parameters["$limit"].Value = limit;
        return ReadPage(command, limit, reader => ReadRow(reader).Record);
    }

    /// <summary>True when a row holds the write at (<paramref name="index"/>, <paramref name="epoch"/>).</summary>
    public bool HoldsWriteAt(long index, long epoch)
    {
        var command = Prepare(
            "SELECT 1 FROM orders WHERE log_index = $index AND log_epoch = $epoch LIMIT 1", ("$index", SqliteType.Integer), ("$epoch", SqliteType.Integer));
        command.Parameters["$index"].Value = index;
        command.Parameters["$epoch"].Value = epoch;
        return command.ExecuteScalar() is not null;
    }

    public List<EpochStart> ReadEpochs()
    {
        var epochs = new List<EpochStart>();
        using var reader = Prepare("SELECT epoch, start FROM log_epochs ORDER BY epoch").ExecuteReader();
        while (reader.Read())
        {
            epochs.Add(new EpochStart(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return epochs;
    }

    /// <summary>Replaces the epoch history with <paramref name="epochs"/> (a few rows).</summary>
    public void WriteEpochs(IReadOnlyList<EpochStart> epochs)
    {
        Prepare("DELETE FROM log_epochs").ExecuteNonQuery();
        var insert = Prepare("INSERT INTO log_epochs (epoch, start) VALUES ($epoch, $start)", ("$epoch", SqliteType.Integer), ("$start", SqliteType.Integer));
        foreach (var line in epochs)
        {
            insert.Parameters["$epoch"].Value = line.Epoch;
            insert.Parameters["$start"].Value = line.Start;
            insert.ExecuteNonQuery();
        }
    }

    public long? ReadMeta(string key)
    {
        var command = Prepare("SELECT value FROM meta WHERE key = $key", ("$key", SqliteType.Text));
        command.Parameters["$key"].Value = key;
        return command.ExecuteScalar() as long?;
    }

    public void WriteMeta(string key, long value)
    {
        var command = Prepare(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)", ("$key", SqliteType.Text), ("$value", SqliteType.Integer));
        command.Parameters["$key"].Value = key;
        command.Parameters["$value"].Value = value;
        command.ExecuteNonQuery();
    }

    /// <summary>Writes <paramref name="entry"/> at its number; SQLite also removes a row holding its key at another number.</summary>
    public void Upsert(OrderEntry entry, long journalFloor, long logIndex, long logEpoch)
    {
        var command = Prepare(
            "INSERT OR REPLACE INTO orders (transaction_number, name, type, quantity, idempotency_key, epoch, state, journal_floor, log_index, log_epoch) " +
            "VALUES ($number, $name, $type, $quantity, $key, $epoch, $state, $floor, $index, $log_epoch)",
            ("$number", SqliteType.Integer), ("$name", SqliteType.Text), ("$type", SqliteType.Text), ("$quantity", SqliteType.Integer),
            ("$key", SqliteType.Text), ("$epoch", SqliteType.Integer), ("$state", SqliteType.Integer), ("$floor", SqliteType.Integer),
            ("$index", SqliteType.Integer), ("$log_epoch", SqliteType.Integer));
        var parameters = command.Parameters;
        parameters["$number"].Value = entry.TransactionNumber;
        parameters["$name"].Value = entry.Name;
        parameters["$type"].Value = TypeText(entry.Type);
        parameters["$quantity"].Value = entry.Quantity;
        parameters["$key"].Value = (object?)entry.IdempotencyKey ?? DBNull.Value;
        parameters["$epoch"].Value = entry.Epoch ?? 0;
        parameters["$state"].Value = (int)(entry.State ?? OrderState.Executed);
        parameters["$floor"].Value = journalFloor;
        parameters["$index"].Value = logIndex;
        parameters["$log_epoch"].Value = logEpoch;
        command.ExecuteNonQuery();
    }

    public void Delete(long number)
    {
        var command = Prepare("DELETE FROM orders WHERE transaction_number = $number", ("$number", SqliteType.Integer));
        command.Parameters["$number"].Value = number;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Starts a read transaction: every read until <see cref="EndRead"/> sees one snapshot of the log (WAL readers
    /// never block the writer), so a suffix streamed in pages is one consistent state.
    /// </summary>
    public void BeginRead() => _transaction = _connection.BeginTransaction(deferred: true);

    public void EndRead()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>Runs <paramref name="write"/> in one transaction; every statement of this connection joins it.</summary>
    public T InTransaction<T>(Func<T> write)
    {
        using var transaction = _connection.BeginTransaction();
        _transaction = transaction;
        try
        {
            var result = write();
            transaction.Commit();
            return result;
        }
        finally
        {
            _transaction = null;
        }
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    internal static string TypeText(TradeType type) => type == TradeType.Buy ? "buy" : "sell";

    internal static TradeType ParseType(string text) => text == "sell" ? TradeType.Sell : TradeType.Buy;

    private static bool ReadOne(SqliteCommand command, out Row row)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            row = default;
            return false;
        }

        row = ReadRow(reader);
        return true;
    }

    // One page of rows, as the command's LIMIT bounds it; the list's first size is capped so a large limit costs nothing up front.
    private static List<T> ReadPage<T>(SqliteCommand command, int limit, Func<SqliteDataReader, T> read)
    {
        var page = new List<T>(Math.Min(limit, 1024));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            page.Add(read(reader));
        }

        return page;
    }

    private static Row ReadRow(SqliteDataReader reader) => new(
        new OrderEntry(
            reader.GetInt64(0),
            reader.GetString(1),
            ParseType(reader.GetString(2)),
            reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt64(5),
            reader.GetInt32(6) is var state && state == (int)OrderState.Executed ? null : (OrderState)state),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetInt64(9));

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            _prepared[sql] = command;
        }

        command.Transaction = _transaction;
        return command;
    }
}
