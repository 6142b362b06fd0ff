using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests;

public sealed class OrderLogTests
{
    private static OrderEntry Entry(long number, string? key = null, long epoch = 1, string name = "GOOG", OrderState? state = null) =>
        new(number, name, TradeType.Buy, 3, key, epoch, state);

    [Fact]
    public void MaxTransaction_EmptyLog_MinusOne()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));

        Assert.Equal(-1, log.MaxTransaction);
        Assert.Empty(log.ReadAfter(-1));
    }

    [Fact]
    public void Open_AfterAppends_ReloadsEntriesKeysAndEpoch()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            log.Append(Entry(0, "k0"));
            log.Append(Entry(1, "k1", epoch: 2));
            log.Append(Entry(2, null, epoch: 2));
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));

        Assert.Equal(2, reopened.MaxTransaction);
        Assert.Equal(2, reopened.Epoch);
        Assert.True(reopened.TryGet(1, out var entry));
        Assert.Equal(Entry(1, "k1", epoch: 2), entry);
        Assert.True(reopened.TryGetByKey("k0", out var numberEntry));
        Assert.Equal(0, numberEntry.TransactionNumber);
        Assert.Equal(3, reopened.CountEntries());
    }

    [Fact]
    public void EntriesAfter_Number_LaterEntriesInNumberOrder()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        foreach (var n in new long[] { 5, 1, 3, 0, 4 })
        {
            log.Append(Entry(n));
        }

        Assert.Equal([3L, 4L, 5L], log.ReadAfter(1).Select(e => e.TransactionNumber));
        Assert.Equal([0L, 1L, 3L, 4L, 5L], log.ReadAfter(-1).Select(e => e.TransactionNumber));
    }

    [Fact]
    public void Append_KnownKeyOrNumber_ThrowsAndKeepsLog()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, "k"));

        Assert.Throws<InvalidOperationException>(() => log.Append(Entry(1, "k")));
        Assert.Throws<InvalidOperationException>(() => log.Append(Entry(0, "other")));
        Assert.Equal(1, log.CountEntries());
    }

    [Fact]
    public void TryRaiseEpoch_NewerThenOlder_PersistsOnlyNewer()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            Assert.True(log.TryRaiseEpoch(7));
            Assert.False(log.TryRaiseEpoch(6));
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));
        Assert.Equal(7, reopened.Epoch);
    }

    [Fact]
    public void TryApply_UpsertsAndDeletes_OneTransactionSurvivesReopen()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            log.Append(Entry(0, "a"));
            log.Append(Entry(1, "b"));
            log.Append(Entry(2, "c"));
            Assert.True(log.TryApply([new LogRecord(Entry(1, "b2", epoch: 3), 4, 3), new LogRecord(Entry(4, "a", epoch: 3), 5, 3)], [2], () => true));
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));

        // Key "a" moved to 4, so 0 is gone; 2 was deleted.
        Assert.Equal([1L, 4L], reopened.ReadAfter(-1).Select(e => e.TransactionNumber));
        Assert.True(reopened.TryGetByKey("a", out var aEntry));
        Assert.Equal(4, aEntry.TransactionNumber);
        Assert.False(reopened.HoldsKey("b"));
        Assert.Equal(4, reopened.MaxTransaction);
        Assert.Equal(3, reopened.Epoch);
    }

    [Fact]
    public void StoreMany_WrittenHeldAndStale_EachCountedAsDecidedUnderTheLock()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, "held", epoch: 6));

        var result = log.StoreMany([Entry(0, "held", epoch: 6), Entry(1, "old", epoch: 5), Entry(2, "new", epoch: 6)]);
        log.TryRaiseEpoch(7);

        Assert.Equal(new StoreResult(Written: 1, Stale: 1, Epoch: 6), result);
        Assert.False(log.HoldsKey("old"));
        Assert.True(log.HoldsKey("new"));
    }

    [Fact]
    public void TryStore_OlderEpochOverNewer_Ignored()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, "new", epoch: 5));

        Assert.False(log.TryStore(Entry(0, "old", epoch: 4)));
        Assert.False(log.TryStore(Entry(0, "new", epoch: 5)));
        Assert.True(log.TryStore(Entry(0, "newer", epoch: 6)));

        Assert.True(log.TryGet(0, out var entry));
        Assert.Equal("newer", entry.IdempotencyKey);
        Assert.False(log.HoldsKey("new"));
    }

    [Fact]
    public void Open_NotADatabase_IOException()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("junk.db"), new string('x', 4096));

        Assert.Throws<IOException>(() => OrderLog.Open(dir.File("junk.db")));
    }

    [Fact]
    public void AdvanceJournalWatermark_Reopened_WatermarkPersisted()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            log.AdvanceJournalWatermark(7, log.WatermarkResets);
            log.AdvanceJournalWatermark(5, log.WatermarkResets);
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));

        Assert.Equal(7, reopened.JournalWatermark);
    }

    [Fact]
    public void TryStore_NewerEntryTakesSlotOfKeyedEntry_WatermarkResetAndStaleAdvanceRefused()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, "lost", epoch: 1));
        var resets = log.WatermarkResets;
        log.AdvanceJournalWatermark(4, resets);

        Assert.True(log.TryStore(Entry(0, "winner", epoch: 2)));
        log.AdvanceJournalWatermark(9, resets);

        Assert.Equal(0, log.JournalWatermark);
        Assert.Equal(resets + 1, log.WatermarkResets);
    }

    [Fact]
    public void TryStore_SameKeyAtNewerEpoch_WatermarkKept()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, "same", epoch: 1));
        log.AdvanceJournalWatermark(4, log.WatermarkResets);

        Assert.True(log.TryStore(Entry(0, "same", epoch: 2)));

        Assert.Equal(4, log.JournalWatermark);
    }

    [Fact]
    public void TryStore_KeyLost_WatermarkBackToTheLostEntrysFloorNotToZero()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.AdvanceJournalWatermark(40, log.WatermarkResets);
        log.Append(Entry(0, "logged-at-40", epoch: 1));
        log.AdvanceJournalWatermark(90, log.WatermarkResets);

        Assert.True(log.TryStore(Entry(0, "winner", epoch: 2)));

        Assert.Equal(40, log.JournalWatermark);
    }

    [Fact]
    public void StoreMany_NotExecutedEntry_KeptWithItsStateAcrossReopen()
    {
        using var dir = new TempDirectory();
        var hole = new OrderEntry(3, "GOOG", TradeType.Buy, 500, null, 1, OrderState.NotExecuted);
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            log.StoreMany([Entry(2, "k2"), hole, Entry(4, "k4", state: OrderState.Executed)]);
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));

        Assert.True(reopened.TryGet(3, out var entry));
        Assert.Equal(hole, entry);
        Assert.True(reopened.TryGet(4, out var executed));
        Assert.True(executed.IsExecuted);
        Assert.Null(executed.State);
    }
}
