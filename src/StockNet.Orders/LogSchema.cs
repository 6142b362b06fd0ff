using Microsoft.Data.Sqlite;

namespace StockNet.Orders;

/// <summary>
/// The order log's schema, versioned by <c>PRAGMA user_version</c>. A new database is created at version 0
/// (the first released format) and brought forward by the same migrations an old one runs, so both paths
/// are one. Each migration and its version bump commit in one transaction: a crash mid-migration leaves
/// the previous version, which the next start migrates again.
/// </summary>
internal static class LogSchema
{
    private const string Version0 = """
        CREATE TABLE IF NOT EXISTS orders (
            transaction_number INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            idempotency_key TEXT UNIQUE NULL,
            epoch INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """;

    /// <summary>Migration i brings the schema from version i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        // 1: an entry's state (OrderState: 0 executed, 1 pending, 2 not-executed) and the journal watermark it
        // was logged under, which bounds how far back a lost key sends the watermark.
        """
        ALTER TABLE orders ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE orders ADD COLUMN journal_floor INTEGER NOT NULL DEFAULT 0;
        """,

        // 2: the append sequence. Each row records the position (index, epoch) of the write that put it there, and
        // log_epochs the first index each epoch's leader wrote. Rows of an older log have no known position: they
        // are marked unplaced (the largest index), so the first recovery compares them in full, once.
        """
        ALTER TABLE orders ADD COLUMN log_index INTEGER NOT NULL DEFAULT 9223372036854775807;
        ALTER TABLE orders ADD COLUMN log_epoch INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX orders_by_log_index ON orders (log_index, transaction_number);
        CREATE TABLE log_epochs (epoch INTEGER PRIMARY KEY, start INTEGER NOT NULL);
        """,
    ];

    public static int Current => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        Execute(connection, null, "PRAGMA synchronous=NORMAL;");
        Execute(connection, null, Version0);
        var version = ReadVersion(connection);
        if (version > Current)
        {
            throw new IOException($"The order log is at schema version {version}, newer than this build's {Current}; run a newer build.");
        }

        for (; version < Current; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations[version]);
            Execute(connection, transaction, $"PRAGMA user_version = {version + 1};");
            transaction.Commit();
        }
    }

    private static long ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
