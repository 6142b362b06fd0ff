using StockNet.Contracts;
using StockNet.Orders.Recovery;

namespace StockNet.Orders.Tests.Recovery;

public sealed class LogMergeTests
{
    private static OrderEntry Entry(long number, string? key, long epoch, string name = "GOOG", OrderState? state = null) =>
        new(number, name, TradeType.Buy, 1, key, epoch, state);

    private static LogRecord At(OrderEntry entry, long index, long epoch = 1) => new(entry, index, epoch);

    private static Dictionary<long, LogRecord> Ours(params LogRecord[] records) => records.ToDictionary(r => r.Entry.TransactionNumber);

    private static Dictionary<long, List<LogRecord>> Theirs(params LogRecord[] records) =>
        records.GroupBy(r => r.Entry.TransactionNumber).ToDictionary(g => g.Key, g => g.ToList());

    private static List<OrderEntry> Plan(Dictionary<long, LogRecord> ours, Dictionary<long, List<LogRecord>> theirs, OrderEntry? keyHolder = null) =>
        LogMerge.Plan(ours, theirs, key => keyHolder?.IdempotencyKey == key ? keyHolder : null, epoch: 5);

    [Fact]
    public void Plan_SameNumberDifferentEpochs_HighestEpochWritten()
    {
        var changes = Plan(Ours(At(Entry(0, "a", 1), 1), At(Entry(1, "b", 1, "IBM"), 2)), Theirs(At(Entry(1, "c", 2, "AMD"), 3, 2)));

        Assert.Equal([Entry(1, "c", 2, "AMD")], changes);
    }

    [Fact]
    public void Plan_NumberOnlyAPeerHolds_Written()
    {
        var changes = Plan(Ours(At(Entry(0, "a", 1), 1)), Theirs(At(Entry(1, "b", 1), 2), At(Entry(2, "c", 1), 3)));

        Assert.Equal([1L, 2L], changes.Select(e => e.TransactionNumber).Order());
    }

    [Fact]
    public void Plan_OneKeyAtTwoNumbers_LowerEpochBecomesTombstone()
    {
        var changes = Plan(Ours(At(Entry(3, "k", 1), 4)), Theirs(At(Entry(4, "k", 2), 5, 2)));

        Assert.Contains(Entry(4, "k", 2), changes);
        Assert.Contains(Entry(3, null, 5, state: OrderState.Removed), changes);
    }

    [Fact]
    public void Plan_KeyHeldOutsideTheComparedNumbers_SameEpochKeepsLowerNumber()
    {
        var changes = Plan([], Theirs(At(Entry(5, "k", 1), 6)), keyHolder: Entry(2, "k", 1));

        Assert.Equal([Entry(5, null, 5, state: OrderState.Removed)], changes);
    }

    [Fact]
    public void Plan_SameEpochLaterWriteOfTheSameLeader_Wins()
    {
        // The leader of epoch 2 logged #7 as not-executed after first logging it as an order (a replaced entry).
        var changes = Plan(Ours(At(Entry(7, "k", 2), 10, 2)), Theirs(At(Entry(7, null, 2, state: OrderState.NotExecuted), 12, 2)));

        Assert.Equal([Entry(7, null, 2, state: OrderState.NotExecuted)], changes);
    }

    [Fact]
    public void Plan_SeedEntryWithoutEpoch_LosesToAnyEpoch()
    {
        var changes = Plan(Ours(At(new OrderEntry(0, "GOOG", TradeType.Sell, 2, null, 0), OrderLog.Unplaced, 0)), Theirs(At(Entry(0, null, 1, "IBM"), 1)));

        Assert.Equal("IBM", Assert.Single(changes).Name);
    }
}
