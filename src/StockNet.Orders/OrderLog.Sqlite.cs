using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>The SQLite side of <see cref="OrderLog"/>. Callers hold the write lock.</summary>
public sealed partial class OrderLog
{
    private const string EpochKey = "epoch";
    private const string WatermarkKey = "journal_watermark";

    private const string UpsertSql = """
        INSERT OR REPLACE INTO orders (transaction_number, name, type, quantity, idempotency_key, epoch)
        VALUES ($number, $name, $type, $quantity, $key, $epoch)
        """;

    private SqliteCommand? _insert;

    private void CreateSchema()
    {
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS orders (
                transaction_number INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                idempotency_key TEXT UNIQUE NULL,
                epoch INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
    }

    private void Load()
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT transaction_number, name, type, quantity, idempotency_key, epoch FROM orders";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                Index(new OrderEntry(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    ParseType(reader.GetString(2)),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt64(5)));
            }
        }

        using var meta = _connection.CreateCommand();
        meta.CommandText = "SELECT value FROM meta WHERE key = $key";
        meta.Parameters.AddWithValue("$key", EpochKey);
        _epoch = meta.ExecuteScalar() is long epoch ? epoch : 0;
        meta.Parameters["$key"].Value = WatermarkKey;
        _watermark = meta.ExecuteScalar() is long watermark ? watermark : 0;
    }

    private void InsertRow(OrderEntry entry)
    {
        _insert ??= CreateUpsertCommand();
        _insert.Transaction = null;
        Bind(_insert, entry);
        _insert.ExecuteNonQuery();
    }

    private void WriteEpoch(long epoch) => WriteMeta(EpochKey, epoch);

    private void WriteMeta(string key, long value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private void WriteBatch(IReadOnlyList<long> deletes, List<OrderEntry> upserts, long epoch)
    {
        using var transaction = _connection.BeginTransaction();
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM orders WHERE transaction_number = $number";
            var number = delete.Parameters.Add("$number", SqliteType.Integer);
            foreach (var value in deletes)
            {
                number.Value = value;
                delete.ExecuteNonQuery();
            }
        }

        // INSERT OR REPLACE also deletes a row holding the same idempotency key at another number,
        // which is what the in-memory side mirrors.
        using (var upsert = CreateUpsertCommand())
        {
            upsert.Transaction = transaction;
            foreach (var entry in upserts)
            {
                Bind(upsert, entry);
                upsert.ExecuteNonQuery();
            }
        }

        using (var meta = _connection.CreateCommand())
        {
            meta.Transaction = transaction;
            meta.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)";
            meta.Parameters.AddWithValue("$key", EpochKey);
            meta.Parameters.AddWithValue("$value", epoch);
            meta.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private SqliteCommand CreateUpsertCommand()
    {
        var command = _connection.CreateCommand();
        command.CommandText = UpsertSql;
        command.Parameters.Add("$number", SqliteType.Integer);
        command.Parameters.Add("$name", SqliteType.Text);
        command.Parameters.Add("$type", SqliteType.Text);
        command.Parameters.Add("$quantity", SqliteType.Integer);
        command.Parameters.Add("$key", SqliteType.Text);
        command.Parameters.Add("$epoch", SqliteType.Integer);
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, OrderEntry entry)
    {
        command.Parameters[0].Value = entry.TransactionNumber;
        command.Parameters[1].Value = entry.Name;
        command.Parameters[2].Value = TypeText(entry.Type);
        command.Parameters[3].Value = entry.Quantity;
        command.Parameters[4].Value = (object?)entry.IdempotencyKey ?? DBNull.Value;
        command.Parameters[5].Value = entry.Epoch ?? 0;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string TypeText(TradeType type) => type == TradeType.Buy ? "buy" : "sell";

    internal static TradeType ParseType(string text) => text == "sell" ? TradeType.Sell : TradeType.Buy;
}
