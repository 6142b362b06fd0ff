using StockNet.Contracts;

namespace StockNet.Orders.Tests.Recovery;

public sealed class LogHistoryTests
{
    private static LogHistory History(long last, params (long Epoch, long Start)[] lines) =>
        new(last, [.. lines.Select(line => new EpochStart(line.Epoch, line.Start))]);

    [Fact]
    public void Agreement_OneLogAPrefixOfTheOther_ShorterEnd()
    {
        Assert.Equal(70, LogHistory.Agreement(History(100, (1, 1), (3, 50)), History(70, (1, 1), (3, 50))));
    }

    [Fact]
    public void Agreement_DivergedAtAnEpoch_LastIndexBeforeIt()
    {
        // Both followed epoch 3 up to 80; one then took epoch 4's writes, the other kept a deposed leader's.
        var ours = History(120, (1, 1), (3, 50));
        var theirs = History(110, (1, 1), (3, 50), (4, 81));

        Assert.Equal(80, LogHistory.Agreement(ours, theirs));
    }

    [Fact]
    public void Agreement_EpochWithoutWrites_SkippedToTheNext()
    {
        Assert.Equal(40, LogHistory.Agreement(History(40, (1, 1), (2, 41), (3, 41)), History(60, (1, 1), (3, 41))));
    }

    [Fact]
    public void Agreement_NoCommonHistory_Zero()
    {
        Assert.Equal(0, LogHistory.Agreement(History(30, (2, 1)), History(30, (1, 1))));
        Assert.Equal(0, LogHistory.Agreement(LogHistory.Empty, History(30, (1, 1))));
    }

    [Fact]
    public void Admit_WriteContradictingTheClaim_ClaimEndsBelowIt()
    {
        var history = History(100, (1, 1), (3, 50));

        Assert.Same(history, history.Admit(101, 4));
        Assert.Same(history, history.Admit(60, 3));
        Assert.Equal(59, history.Admit(60, 4).LastIndex);
        Assert.Equal([new EpochStart(1, 1), new EpochStart(3, 50)], history.Admit(60, 4).Epochs);
        Assert.Equal([new EpochStart(1, 1)], history.Admit(50, 4).Epochs);
    }

    [Fact]
    public void Advance_ConsecutiveWritesOfTheNewestEpoch_ClaimExtended()
    {
        var held = new HashSet<(long, long)> { (11, 2), (12, 2), (14, 2) };
        var history = History(10, (1, 1), (2, 11));

        Assert.Equal(12, history.Advance(2, (index, epoch) => held.Contains((index, epoch))).LastIndex);
        Assert.Same(history, history.Advance(1, (_, _) => true));
    }
}
