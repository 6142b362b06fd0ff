using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests;

public sealed class OrderLogSequenceTests
{
    private static OrderEntry Entry(long number, long epoch, string? key = null) => new(number, "GOOG", TradeType.Buy, 1, key ?? $"k{number}", epoch);

    private static readonly Func<bool> Always = () => true;

    [Fact]
    public void Append_NumbersOutOfOrder_PositionsConsecutivePerEpochAndPersisted()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            Assert.Equal(new LogPosition(1, 1), log.Append(Entry(5, 1)));
            Assert.Equal(new LogPosition(2, 1), log.Append(Entry(3, 1)));
            Assert.Equal(new LogPosition(3, 4), log.Append(Entry(4, 4)));
            Assert.Null(log.TryAppend(Entry(9, 2)));
        }

        using var reopened = OrderLog.Open(dir.File("log.db"));
        Assert.Equal(3, reopened.History.LastIndex);
        Assert.Equal([new EpochStart(1, 1), new EpochStart(4, 3)], reopened.History.Epochs);
        Assert.Equal([5L, 3L, 4L], reopened.ReadWrittenAfter(0).Select(record => record.Entry.TransactionNumber));
        Assert.Equal([4L], reopened.ReadWrittenAfter(2).Select(record => record.Entry.TransactionNumber));
    }

    [Fact]
    public void StoreMany_LeadersWritesAfterAGap_ClaimWaitsThenExtends()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        Assert.True(log.TryAdopt(0, 0, [new EpochStart(2, 1)], Always));

        log.StoreMany([Entry(0, 2), Entry(2, 2)], [new LogPosition(1, 2), new LogPosition(3, 2)]);
        Assert.Equal(1, log.History.LastIndex);

        log.StoreMany([Entry(1, 2)], [new LogPosition(2, 2)]);
        Assert.Equal(3, log.History.LastIndex);
    }

    [Fact]
    public void StoreMany_BeforeAnyResyncAtThatEpoch_StoredButNotClaimed()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));

        log.StoreMany([Entry(0, 2)], [new LogPosition(1, 2)]);

        Assert.Equal(0, log.History.LastIndex);
        Assert.Single(log.ReadWrittenAfter(0));
    }

    [Fact]
    public void TryApply_WriteContradictingTheClaim_ClaimEndsBelowIt()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, 1));
        log.Append(Entry(1, 1));
        log.Append(Entry(2, 1));

        Assert.True(log.TryApply([new LogRecord(Entry(7, 3), 2, 3)], [], Always));

        Assert.Equal(1, log.History.LastIndex);
        Assert.Equal([1L, 7L, 2L], log.ReadWrittenAfter(1).Select(record => record.Entry.TransactionNumber));
    }

    [Fact]
    public void OpenSuffix_PositionHeldOrNot_RowsAfterItOrNull()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        for (var n = 0; n < 2_500; n++)
        {
            log.Append(Entry(n, 1));
        }

        Assert.Null(log.OpenSuffix(100, 2));
        using var suffix = log.OpenSuffix(2_490, 1);
        Assert.NotNull(suffix);
        Assert.Equal(2_500, suffix.History.LastIndex);
        Assert.Equal(Enumerable.Range(2_490, 10).Select(n => (long)n), suffix.Records().Select(record => record.Entry.TransactionNumber));
        using var all = log.OpenSuffix(0, 0);
        Assert.Equal(2_500, all!.Records().Count());
    }

    [Fact]
    public void TryCommitMerge_PendingRowsAndChanges_WrittenAtTheNewEpoch()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        log.Append(Entry(0, 1));
        log.StoreMany([Entry(1, 1)]);

        Assert.True(log.TryCommitMerge([Entry(2, 1), Entry(0, 1, "k0") with { IdempotencyKey = null, Epoch = 3, State = OrderState.Removed }], 3, Always));

        Assert.Equal(4, log.History.LastIndex);
        Assert.Equal([new EpochStart(1, 1), new EpochStart(3, 2)], log.History.Epochs);
        Assert.False(log.TryGet(0, out _));
        Assert.Equal([1L, 2L], log.ReadAfter(-1).Select(entry => entry.TransactionNumber));
        Assert.Empty(log.ReadWrittenAfter(4));
        Assert.False(log.TryCommitMerge([], 2, Always));
    }
}
