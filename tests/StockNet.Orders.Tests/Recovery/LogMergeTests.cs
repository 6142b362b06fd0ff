using StockNet.Contracts;
using StockNet.Orders.Recovery;

namespace StockNet.Orders.Tests.Recovery;

public sealed class LogMergeTests
{
    private static OrderEntry Entry(long number, string? key, long epoch, string name = "GOOG") =>
        new(number, name, TradeType.Buy, 1, key, epoch);

    [Fact]
    public void Merge_SameNumberDifferentEpochs_HighestEpochWins()
    {
        var ours = new[] { Entry(0, "a", 1), Entry(1, "b", 1, "IBM") };
        var peer = new[] { Entry(0, "a", 1), Entry(1, "c", 2, "AMD") };

        var merged = LogMerge.Merge([ours, peer]);

        Assert.Equal(2, merged.Count);
        Assert.Equal(Entry(1, "c", 2, "AMD"), merged[1]);
    }

    [Fact]
    public void Merge_OneKeyAtTwoNumbers_KeepsHigherEpoch()
    {
        var ours = new[] { Entry(3, "k", 1) };
        var peer = new[] { Entry(4, "k", 2) };

        var merged = LogMerge.Merge([ours, peer]);

        Assert.Equal([4L], merged.Keys);
    }

    [Fact]
    public void Merge_OneKeyAtTwoNumbersSameEpoch_KeepsLowerNumber()
    {
        var merged = LogMerge.Merge([[Entry(5, "k", 1)], [Entry(2, "k", 1)]]);

        Assert.Equal([2L], merged.Keys);
    }

    [Fact]
    public void Merge_HolesBelowOurMax_Filled()
    {
        var ours = new[] { Entry(0, "a", 1), Entry(3, "d", 1) };
        var peer = new[] { Entry(1, "b", 1), Entry(2, "c", 1), Entry(4, "e", 1) };

        var merged = LogMerge.Merge([ours, peer]);

        Assert.Equal([0L, 1L, 2L, 3L, 4L], merged.Keys.Order());
    }

    [Fact]
    public void Merge_SeedEntryWithoutEpoch_TreatedAsEpochZero()
    {
        var merged = LogMerge.Merge([[new OrderEntry(0, "GOOG", TradeType.Sell, 2)], [Entry(0, null, 1, "IBM")]]);

        Assert.Equal("IBM", merged[0].Name);
    }

    [Fact]
    public void FollowLeader_OlderEpochAboveLeaderMax_DroppedCurrentEpochKept()
    {
        var ours = new Dictionary<long, OrderEntry>
        {
            [0] = Entry(0, "a", 1),
            [1] = Entry(1, "x", 1, "IBM"),
            [2] = Entry(2, "old", 1),
            [3] = Entry(3, "new", 2),
        };
        var leader = new[] { Entry(0, "a", 1), Entry(1, "b", 2) };

        var target = LogMerge.FollowLeader(ours, leader, epoch: 2);

        Assert.Equal([0L, 1L, 3L], target.Keys.Order());
        Assert.Equal(Entry(1, "b", 2), target[1]);
    }

    [Fact]
    public void FollowLeader_CurrentEpochEntryBelowSnapshotMax_Kept()
    {
        // The leader reserved #1 before its catalog call and logged it after the snapshot was taken.
        var ours = new Dictionary<long, OrderEntry> { [0] = Entry(0, "a", 2), [1] = Entry(1, "late", 2), [2] = Entry(2, "c", 2) };
        var leader = new[] { Entry(0, "a", 2), Entry(2, "c", 2) };

        var target = LogMerge.FollowLeader(ours, leader, epoch: 2);

        Assert.Equal([0L, 1L, 2L], target.Keys.Order());
        Assert.Equal(Entry(1, "late", 2), target[1]);
    }

    [Fact]
    public void Diff_CurrentAndTarget_UpsertsChangedDeletesMissing()
    {
        var current = new Dictionary<long, OrderEntry> { [0] = Entry(0, "a", 1), [1] = Entry(1, "b", 1), [2] = Entry(2, "c", 1) };
        var target = new Dictionary<long, OrderEntry> { [0] = Entry(0, "a", 1), [1] = Entry(1, "z", 2), [5] = Entry(5, "e", 2) };

        var changes = LogMerge.Diff(current, target);

        Assert.Equal([Entry(1, "z", 2), Entry(5, "e", 2)], changes.Upserts);
        Assert.Equal([2L], changes.Deletes);
    }
}
