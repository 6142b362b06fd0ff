using Microsoft.Data.Sqlite;
using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests;

/// <summary>A replica opens a data directory written by the first released format (tests/Fixtures/data-v1).</summary>
public sealed class OrderLogMigrationTests
{
    private static readonly OrderEntry[] FixtureOrders =
    [
        new(0, "GOOG", TradeType.Buy, 3, "fixture-GOOG-buy-3", 1),
        new(1, "MSFT", TradeType.Buy, 5, "fixture-MSFT-buy-5", 1),
        new(2, "GOOG", TradeType.Sell, 1, "fixture-GOOG-sell-1", 1),
        new(3, "TSLA", TradeType.Buy, 7, "fixture-TSLA-buy-7", 1),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Open_FirstFormatLog_MigratesAndFindsEveryOrder(int id)
    {
        using var dir = new TempDirectory();
        var path = dir.File($"order_log_{id}.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "data-v1", $"order-{id}", $"order_log_{id}.db"), path);

        using (var log = OrderLog.Open(path))
        {
            Assert.Equal(5, log.CountEntries());
            Assert.Equal(4, log.MaxTransaction);
            Assert.Equal(1, log.Epoch);
            Assert.Equal(FixtureOrders, log.ReadAfter(-1).Take(4));
            Assert.True(log.TryGet(4, out var madeKey));
            Assert.Equal(("AMZN", TradeType.Buy, 4), (madeKey.Name, madeKey.Type, madeKey.Quantity));
            Assert.NotNull(madeKey.IdempotencyKey);
            Assert.True(log.TryGetByKey("fixture-TSLA-buy-7", out var byKey));
            Assert.Equal(3, byKey.TransactionNumber);

            // Positions unknown: the log claims no write, and every row is in the suffix the first recovery compares.
            Assert.Equal(0, log.History.LastIndex);
            Assert.Equal(5, log.ReadWrittenAfter(0).Count(record => record.Index == OrderLog.Unplaced));
        }

        Assert.Equal(LogSchema.Current, UserVersion(path));
        using var reopened = OrderLog.Open(path);
        Assert.Equal(5, reopened.CountEntries());
    }

    [Fact]
    public void Open_NewerSchemaThanThisBuild_IOException()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.db");
        OrderLog.Open(path).Dispose();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {LogSchema.Current + 1};";
            command.ExecuteNonQuery();
        }

        Assert.Throws<IOException>(() => OrderLog.Open(path));
    }

    private static long UserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
