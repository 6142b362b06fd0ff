using System.Diagnostics;
using Microsoft.Data.Sqlite;
using StockNet.Catalog.Telemetry;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests;

/// <summary>
/// Who applies a trade: with no writer at work, its caller, on its own call; while one writes, the trades arriving wait
/// and go together when it is done; a failed commit answers every trade it carried. A second connection holding the
/// database's write lock keeps the first writer at work (SQLite's busy wait) for as long as a test needs.
/// </summary>
public sealed class CatalogWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    // Set only while a store starts its writer loop, which keeps it (the loop's execution context) and no caller has it.
    private static readonly AsyncLocal<bool> InFailingLoop = new();

    [Fact]
    public async Task TradeAsync_NoWriterAtWork_IsAppliedOnTheCallersCall()
    {
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var trade = store.TradeAsync("IBM", new CatalogTrade(TradeType.Buy, 1), "alone", TestContext.Current.CancellationToken);

        Assert.True(trade.IsCompletedSuccessfully);
        Assert.False(store.IsWriting);
        Assert.Equal(TradeStatus.Applied, (await trade).Status);
    }

    [Fact]
    public async Task TradeAsync_WhileAWriterIsAtWork_LaterTradesWaitAndAreAppliedInOrderAfterIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);
        using var holder = HoldWriteLock(store);

        var (first, later) = await BuyWhileTheFirstWritesAsync(store, "IBM");
        Assert.All(later, trade => Assert.False(trade.IsCompleted));
        Execute(holder, "COMMIT;");

        var outcomes = await Task.WhenAll([first, .. later]);

        Assert.All(outcomes, outcome => Assert.Equal(TradeStatus.Applied, outcome.Status));
        var journal = await store.ReadJournalAsync(0, 1000, cancellationToken);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"k{i}"), journal.Select(trade => trade.IdempotencyKey));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => 99L - i), journal.Select(trade => trade.QuantityAfter));
        await UntilAsync(() => !store.IsWriting);
        Assert.True(store.TradeAsync("IBM", new CatalogTrade(TradeType.Sell, 1), null, cancellationToken).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task TradeAsync_CommitOfTheWaitingTradesFails_EveryOneIsAnsweredWithThatFailureAndNothingChanges()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);
        using var holder = HoldWriteLock(store);

        var (first, later) = await BuyWhileTheFirstWritesAsync(store, "GOOG");
        Execute(holder, "CREATE TRIGGER refuse BEFORE INSERT ON trades BEGIN SELECT RAISE(ABORT, 'refused'); END; COMMIT;");

        await Assert.ThrowsAsync<SqliteException>(() => first);
        var failures = new List<SqliteException>();
        foreach (var trade in later)
        {
            failures.Add(await Assert.ThrowsAsync<SqliteException>(() => trade));
        }

        // One commit carried the five waiting trades, so one failure answers them all.
        Assert.Single(failures.Distinct());
        Assert.True(store.TryGetQuote("GOOG", out var goog));
        Assert.Equal((100L, 0L), (goog.Quantity, goog.Version));
        Assert.Empty(await store.ReadJournalAsync(0, 1000, cancellationToken));
        await UntilAsync(() => !store.IsWriting);
    }

    [Fact]
    public async Task TradeAsync_TelemetryThrowsInTheWriterLoop_WaitingTradesAreAnsweredAndTheStoreWritesOn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        InFailingLoop.Value = true;
        var store = StoreFactory.Open(directory.Path);
        InFailingLoop.Value = false;
        using var disposeStore = store;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, CatalogTelemetry.Source),
            Sample = (ref _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ =>
            {
                if (InFailingLoop.Value)
                {
                    throw new InvalidOperationException("a listener that throws");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var holder = HoldWriteLock(store);

        var (first, later) = await BuyWhileTheFirstWritesAsync(store, "IBM");
        Execute(holder, "COMMIT;");

        // The first wrote on its caller's call; the loop took the five over, and its commit span threw before it began.
        Assert.Equal(TradeStatus.Applied, (await first.WaitAsync(Bound, cancellationToken)).Status);
        foreach (var trade in later)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => trade.WaitAsync(Bound, cancellationToken));
        }

        await UntilAsync(() => !store.IsWriting);
        Assert.Equal(TradeStatus.Applied, (await store.TradeAsync("IBM", new CatalogTrade(TradeType.Sell, 1), null, cancellationToken)).Status);
        Assert.True(store.TryGetQuote("IBM", out var ibm));
        Assert.Equal(100L, ibm.Quantity);
    }

    // Buys one share with key k0 on another thread, and once its writer is at work (waiting for the lock), five more (k1..k5).
    private static async Task<(Task<TradeOutcome> First, Task<TradeOutcome>[] Later)> BuyWhileTheFirstWritesAsync(CatalogStore store, string stock)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = Task.Run(() => store.TradeAsync(stock, new CatalogTrade(TradeType.Buy, 1), "k0", cancellationToken), cancellationToken);
        await UntilAsync(() => store.IsWriting);
        var later = Enumerable.Range(1, 5)
            .Select(i => store.TradeAsync(stock, new CatalogTrade(TradeType.Buy, 1), $"k{i}", cancellationToken))
            .ToArray();
        return (first, later);
    }

    // A second connection in an IMMEDIATE transaction: the store's writer waits for it (busy_timeout 5 s) until it ends.
    private static SqliteConnection HoldWriteLock(CatalogStore store)
    {
        var connection = new SqliteConnection($"Data Source={store.DatabasePath}");
        connection.Open();
        Execute(connection, "BEGIN IMMEDIATE;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
