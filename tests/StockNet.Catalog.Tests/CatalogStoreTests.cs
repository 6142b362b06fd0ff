using Microsoft.Data.Sqlite;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests;

public sealed class CatalogStoreTests
{
    private static readonly string[] _defaultNames = ["APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM"];

    [Fact]
    public void Open_NewStore_HoldsTheTenDefaultStocksAtQuantity100()
    {
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var quotes = store.GetQuotes();

        Assert.Equal(_defaultNames, quotes.Select(quote => quote.Name));
        Assert.All(quotes, quote => Assert.Equal(100, quote.Quantity));
        Assert.All(quotes, quote => Assert.Equal(0, quote.Version));
        Assert.All(quotes, quote => Assert.True(quote.Price > 0));
        Assert.True(store.IsLoaded);
        Assert.True(File.Exists(directory.File("catalog.db")));
    }

    [Fact]
    public void Open_NewStoreWithCatalogFile_ImportsTheCsvRows()
    {
        using var directory = new TempDirectory();
        var csv = directory.File("stocks.csv");
        File.WriteAllText(csv, "name,price,quantity\nFOO,12.5,7\n\nBAR,0.25,0\n");

        using var store = StoreFactory.Open(Path.Combine(directory.Path, "db"), csv);

        Assert.Equal([new StockQuote("FOO", 12.5m, 7, 0), new StockQuote("BAR", 0.25m, 0, 0)], store.GetQuotes());
    }

    [Fact]
    public void Open_ExistingStoreWithCatalogFile_KeepsTheStoredStocks()
    {
        using var directory = new TempDirectory();
        using (StoreFactory.Open(directory.Path))
        {
        }

        var csv = directory.File("stocks.csv");
        File.WriteAllText(csv, "name,price,quantity\nFOO,12.5,7\n");
        using var store = StoreFactory.Open(directory.Path, csv);

        Assert.Equal(_defaultNames, store.GetQuotes().Select(quote => quote.Name));
    }

    [Theory]
    [InlineData("price,name,quantity\nFOO,1,1\n")]
    [InlineData("name,price,quantity\nFOO,1\n")]
    [InlineData("name,price,quantity\nFOO,-1,1\n")]
    [InlineData("name,price,quantity\nFOO,1,-1\n")]
    [InlineData("name,price,quantity\nFOO,1,1.5\n")]
    [InlineData("name,price,quantity\nBAD NAME,1,1\n")]
    [InlineData("name,price,quantity\nFOO,1,1\nFOO,2,2\n")]
    public void Open_BadCatalogFile_ThrowsInvalidData(string content)
    {
        using var directory = new TempDirectory();
        var csv = directory.File("stocks.csv");
        File.WriteAllText(csv, content);

        Assert.Throws<InvalidDataException>(() => StoreFactory.Open(Path.Combine(directory.Path, "db"), csv));
    }

    [Fact]
    public async Task Open_Reopened_KeepsQuantitiesAndVersions()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using (var first = StoreFactory.Open(directory.Path))
        {
            await first.TradeAsync("GOOG", new CatalogTrade(TradeType.Buy, 30), null, cancellationToken);
            await first.TradeAsync("GOOG", new CatalogTrade(TradeType.Sell, 5), null, cancellationToken);
            await first.TradeAsync("IBM", new CatalogTrade(TradeType.Buy, 1), null, cancellationToken);
        }

        using var reopened = StoreFactory.Open(directory.Path);

        Assert.True(reopened.TryGetQuote("GOOG", out var goog));
        Assert.Equal((75L, 2L), (goog.Quantity, goog.Version));
        Assert.True(reopened.TryGetQuote("IBM", out var ibm));
        Assert.Equal((99L, 1L), (ibm.Quantity, ibm.Version));
    }

    [Fact]
    public async Task TradeAsync_200ConcurrentBuysOfOneOnQuantity100_Exactly100Succeed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(() => store.TradeAsync("MSFT", new CatalogTrade(TradeType.Buy, 1), null, cancellationToken), cancellationToken)));

        Assert.Equal(100, outcomes.Count(outcome => outcome.Status == TradeStatus.Applied));
        Assert.Equal(100, outcomes.Count(outcome => outcome.Status == TradeStatus.InsufficientStock));
        Assert.True(store.TryGetQuote("MSFT", out var msft));
        Assert.Equal((0L, 100L), (msft.Quantity, msft.Version));
        var journal = await store.ReadJournalAsync(0, 1000, cancellationToken);
        Assert.Equal(100, journal.Length);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => 99L - i), journal.Select(trade => trade.QuantityAfter));
    }

    [Fact]
    public async Task TradeAsync_RepeatedIdempotencyKey_ReturnsFirstResultAndTradesOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var first = await store.TradeAsync("AMD", new CatalogTrade(TradeType.Buy, 10), "key-1", cancellationToken);
        await store.TradeAsync("AMD", new CatalogTrade(TradeType.Buy, 1), null, cancellationToken);
        var repeat = await store.TradeAsync("AMD", new CatalogTrade(TradeType.Buy, 10), "key-1", cancellationToken);

        Assert.Equal(TradeStatus.Applied, first.Status);
        Assert.Equal(TradeStatus.Replayed, repeat.Status);
        Assert.Equal(first.Quote, repeat.Quote);
        Assert.Equal(new StockQuote("AMD", 118.20m, 90, 1), repeat.Quote);
        Assert.True(store.TryGetQuote("AMD", out var amd));
        Assert.Equal((89L, 2L), (amd.Quantity, amd.Version));
        var journal = await store.ReadJournalAsync(0, 1000, cancellationToken);
        Assert.Equal([new AppliedTrade(1, "key-1", "AMD", TradeType.Buy, 10, 90, 1), new AppliedTrade(2, null, "AMD", TradeType.Buy, 1, 89, 2)], journal);
    }

    [Fact]
    public async Task TradeAsync_RepeatedKeyWithAnotherNumber_AnswersTheFirstJournaledNumber()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var first = await store.TradeAsync("IBM", new CatalogTrade(TradeType.Sell, 2), "key-7", 7, cancellationToken);
        var retry = await store.TradeAsync("IBM", new CatalogTrade(TradeType.Sell, 2), "key-7", 12, cancellationToken);

        Assert.Equal((TradeStatus.Applied, 7L), (first.Status, first.TransactionNumber));
        Assert.Equal((TradeStatus.Replayed, 7L), (retry.Status, retry.TransactionNumber));
        var journal = await store.ReadJournalAsync(0, 1000, cancellationToken);
        Assert.Equal([new AppliedTrade(1, "key-7", "IBM", TradeType.Sell, 2, 102, 1, 7)], journal);
    }

    [Fact]
    public async Task TradeAsync_SameKeyConcurrently_AppliesOnceAndAllAnswerTheSame()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => store.TradeAsync("APPL", new CatalogTrade(TradeType.Buy, 2), "same-key", cancellationToken), cancellationToken)));

        Assert.Equal(1, outcomes.Count(outcome => outcome.Status == TradeStatus.Applied));
        Assert.Equal(49, outcomes.Count(outcome => outcome.Status == TradeStatus.Replayed));
        Assert.All(outcomes, outcome => Assert.Equal(new StockQuote("APPL", 189.50m, 98, 1), outcome.Quote));
        Assert.Single(await store.ReadJournalAsync(0, 1000, cancellationToken));
    }

    [Fact]
    public async Task TradeAsync_BuyAboveAvailable_RefusedAndChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(new CatalogOptions { DataDir = directory.Path }, out var queue);

        var outcome = await store.TradeAsync("TSLA", new CatalogTrade(TradeType.Buy, 101), "key-2", cancellationToken);

        Assert.Equal(new TradeOutcome(TradeStatus.InsufficientStock, new StockQuote("TSLA", 238.40m, 100, 0)), outcome);
        Assert.True(store.TryGetQuote("TSLA", out var tsla));
        Assert.Equal((100L, 0L), (tsla.Quantity, tsla.Version));
        Assert.Empty(await store.ReadJournalAsync(0, 1000, cancellationToken));
        Assert.Equal(0, queue.Reader.Count);
    }

    [Fact]
    public async Task TradeAsync_Sell_AddsQuantityAndQueuesInvalidation()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(new CatalogOptions { DataDir = directory.Path }, out var queue);

        var outcome = await store.TradeAsync("NFLX", new CatalogTrade(TradeType.Sell, 25), null, cancellationToken);

        Assert.Equal(new TradeOutcome(TradeStatus.Applied, new StockQuote("NFLX", 470.60m, 125, 1)), outcome);
        Assert.True(queue.Reader.TryRead(out var invalidation));
        Assert.Equal(new CacheInvalidated("NFLX", 1), invalidation);
    }

    [Fact]
    public async Task TradeAsync_UnknownStock_ReturnsUnknown()
    {
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);

        var outcome = await store.TradeAsync("NOPE", new CatalogTrade(TradeType.Buy, 1), null, TestContext.Current.CancellationToken);

        Assert.Equal(new TradeOutcome(TradeStatus.UnknownStock, null), outcome);
    }

    [Fact]
    public async Task ReadJournalAsync_AfterAndLimit_ReturnsThatWindowInOrder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(directory.Path);
        for (var i = 0; i < 5; i++)
        {
            await store.TradeAsync("IBM", new CatalogTrade(TradeType.Buy, 1), null, cancellationToken);
        }

        var window = await store.ReadJournalAsync(2, 2, cancellationToken);

        Assert.Equal([3L, 4L], window.Select(trade => trade.Sequence));
        Assert.Equal([97L, 96L], window.Select(trade => trade.QuantityAfter));
    }

    [Fact]
    public async Task TradeAsync_CommitFails_LeavesMemoryAndStoreUnchanged()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var store = StoreFactory.Open(new CatalogOptions { DataDir = directory.Path }, out var queue);
        ExecuteSql(store, "CREATE TRIGGER refuse BEFORE INSERT ON trades BEGIN SELECT RAISE(ABORT, 'refused'); END;");

        await Assert.ThrowsAsync<SqliteException>(() => store.TradeAsync("GOOG", new CatalogTrade(TradeType.Buy, 5), "key-3", cancellationToken));
        ExecuteSql(store, "DROP TRIGGER refuse;");
        var retried = await store.TradeAsync("GOOG", new CatalogTrade(TradeType.Buy, 5), "key-3", cancellationToken);

        Assert.Equal(new TradeOutcome(TradeStatus.Applied, new StockQuote("GOOG", 141.20m, 95, 1)), retried);
        Assert.Single(await store.ReadJournalAsync(0, 1000, cancellationToken));
        Assert.True(queue.Reader.TryRead(out var invalidation));
        Assert.Equal(new CacheInvalidated("GOOG", 1), invalidation);
        Assert.False(queue.Reader.TryRead(out _));
    }

    private static void ExecuteSql(CatalogStore store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={store.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
