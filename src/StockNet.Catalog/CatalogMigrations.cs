using System.Globalization;
using Microsoft.Data.Sqlite;

namespace StockNet.Catalog;

/// <summary>
/// The catalog's schema, as numbered steps recorded in SQLite's <c>PRAGMA user_version</c>: a store at version n
/// runs the steps after n, in the same transaction as the rest of opening, so a store is at one version or the
/// next and never between. A shipped step is never edited; a change of schema is a new step at the end.
/// </summary>
internal static class CatalogMigrations
{
    // Step i produces version i + 1. Stores written before versions were recorded read as version 0, with or
    // without the journal's transaction_number; both steps leave either the same as a new store.
    private static readonly Action<SqliteConnection, SqliteTransaction>[] Steps =
    [
        (connection, transaction) => Execute(connection, transaction, CatalogSchema.CreateTables),
        (connection, transaction) => AddColumnUnlessPresent(connection, transaction, "trades", "transaction_number", "INTEGER NULL"),
    ];

    public static int LatestVersion => Steps.Length;

    /// <summary>Brings the store to <see cref="LatestVersion"/>; refuses a store written by a newer build.</summary>
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        var version = ReadVersion(connection, transaction);
        if (version > LatestVersion)
        {
            throw new InvalidDataException(
                $"The catalog store has schema version {version}, newer than this build's {LatestVersion}; use a newer build.");
        }

        for (var step = (int)version; step < LatestVersion; step++)
        {
            Steps[step](connection, transaction);
        }

        // PRAGMA takes no parameters; the value is our own integer.
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {LatestVersion};"));
    }

    public static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // SQLite has no ADD COLUMN IF NOT EXISTS; the step looks first, so it never fails and nothing is swallowed.
    private static void AddColumnUnlessPresent(SqliteConnection connection, SqliteTransaction transaction, string table, string column, string definition)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column;";
        exists.Parameters.AddWithValue("$table", table);
        exists.Parameters.AddWithValue("$column", column);
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, transaction, $"ALTER TABLE {table} ADD COLUMN {column} {definition};");
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
