using Microsoft.Data.Sqlite;
using StockNet.Catalog.Tests.Infrastructure;

namespace StockNet.Catalog.Tests;

/// <summary>
/// The catalog opens every store an earlier build wrote (tests/Fixtures/data-v1, written before schema versions were
/// recorded), and refuses one a newer build wrote.
/// </summary>
public sealed class CatalogMigrationTests
{
    [Fact]
    public async Task Open_FirstFormatStore_MigratesAndFindsEveryStockAndTrade()
    {
        using var directory = new TempDirectory();
        // A copy: opening migrates the file in place.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "data-v1", "catalog", "catalog.db"), directory.File("catalog.db"));

        using var store = StoreFactory.Open(directory.Path);

        var quantities = store.GetQuotes().ToDictionary(quote => quote.Name, quote => (quote.Quantity, quote.Version));
        Assert.Equal(10, quantities.Count);
        Assert.Equal((98L, 2L), quantities["GOOG"]);
        Assert.Equal((95L, 1L), quantities["MSFT"]);
        Assert.Equal((93L, 1L), quantities["TSLA"]);
        Assert.Equal((96L, 1L), quantities["AMZN"]);
        Assert.Equal((100L, 0L), quantities["IBM"]);
        var journal = await store.ReadJournalAsync(-1, 100, TestContext.Current.CancellationToken);
        Assert.Equal(["fixture-GOOG-buy-3", "fixture-MSFT-buy-5", "fixture-GOOG-sell-1", "fixture-TSLA-buy-7"], journal.Take(4).Select(trade => trade.IdempotencyKey));
        Assert.Equal([0L, 1L, 2L, 3L, 4L], journal.Select(trade => trade.TransactionNumber ?? -1));
        Assert.Equal(CatalogMigrations.LatestVersion, UserVersion(directory.Path));
    }

    [Fact]
    public void Open_StoreWithoutTransactionNumbers_AddsTheColumn()
    {
        using var directory = new TempDirectory();
        using (var connection = Connect(directory.Path))
        {
            Execute(connection, """
                CREATE TABLE stocks (name TEXT PRIMARY KEY NOT NULL, price TEXT NOT NULL, quantity INTEGER NOT NULL, version INTEGER NOT NULL);
                CREATE TABLE trades (seq INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT UNIQUE NULL, name TEXT NOT NULL,
                    type TEXT NOT NULL, quantity INTEGER NOT NULL, quantity_after INTEGER NOT NULL, version INTEGER NOT NULL);
                INSERT INTO stocks VALUES ('GOOG', '141.2', 97, 1);
                INSERT INTO trades (idempotency_key, name, type, quantity, quantity_after, version) VALUES ('old', 'GOOG', 'buy', 3, 97, 1);
                """);
        }

        using var store = StoreFactory.Open(directory.Path);

        Assert.True(store.TryGetQuote("GOOG", out var quote));
        Assert.Equal(97, quote.Quantity);
        Assert.Equal(CatalogMigrations.LatestVersion, UserVersion(directory.Path));
    }

    [Fact]
    public void Open_NewStore_IsAtTheLatestVersion()
    {
        using var directory = new TempDirectory();

        using (StoreFactory.Open(directory.Path))
        {
        }

        Assert.Equal(CatalogMigrations.LatestVersion, UserVersion(directory.Path));
    }

    [Fact]
    public void Open_StoreFromANewerBuild_Refuses()
    {
        using var directory = new TempDirectory();
        using (StoreFactory.Open(directory.Path))
        {
        }

        using (var connection = Connect(directory.Path))
        {
            Execute(connection, $"PRAGMA user_version = {CatalogMigrations.LatestVersion + 1};");
        }

        var error = Assert.Throws<InvalidDataException>(() => StoreFactory.Open(directory.Path));
        Assert.Contains("newer than this build", error.Message, StringComparison.Ordinal);
    }

    private static SqliteConnection Connect(string dataDir)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "catalog.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long UserVersion(string dataDir)
    {
        using var connection = Connect(dataDir);
        return CatalogMigrations.ReadVersion(connection, null);
    }
}
