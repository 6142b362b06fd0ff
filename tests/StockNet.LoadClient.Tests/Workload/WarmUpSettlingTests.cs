using StockNet.LoadClient.Workload;

namespace StockNet.LoadClient.Tests.Workload;

public sealed class WarmUpSettlingTests
{
    [Theory]
    [InlineData(new long[] { }, false)]
    [InlineData(new long[] { 500, 500, 500 }, false)]
    [InlineData(new long[] { 300, 400, 500, 600 }, false)]
    [InlineData(new long[] { 300, 400, 600, 610, 620, 615 }, true)]
    [InlineData(new long[] { 600, 600, 620, 640 }, true)]
    [InlineData(new long[] { 600, 600, 640, 640 }, false)]
    [InlineData(new long[] { 0, 0, 0, 0 }, false)]
    public void HasSettled_LastTwoWindowsAgainstTheTwoBefore(long[] roundsPerWindow, bool settled) =>
        Assert.Equal(settled, WarmUpSettling.HasSettled(roundsPerWindow));

    [Fact]
    public void CloseWindow_ThroughputRisesThenFlattens_SettledOnceAndStaysSettled()
    {
        var settling = new WarmUpSettling();
        foreach (var rounds in new[] { 100, 200, 300, 400, 410, 405, 400, 800 })
        {
            for (var i = 0; i < rounds; i++)
            {
                settling.CountRound();
            }

            settling.CloseWindow();
        }

        Assert.Equal([100L, 200, 300, 400, 410, 405, 400, 800], settling.RoundsPerWindow);
        Assert.True(settling.IsSettled);
    }
}
