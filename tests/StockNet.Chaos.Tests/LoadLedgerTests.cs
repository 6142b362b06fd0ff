using StockNet.Chaos;
using StockNet.Contracts;

namespace StockNet.Chaos.Tests;

public sealed class LoadLedgerTests
{
    [Fact]
    public void Outage_SeveralWindows_KeepsTheLongestWithItsClientAndFailures()
    {
        var ledger = new LoadLedger();

        ledger.Outage(new ClientOutage(1, "http://a/", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 1, 0));
        ledger.Outage(new ClientOutage(2, "http://b/", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 3, 2));
        ledger.Outage(new ClientOutage(1, "http://a/", TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1), 0, 1));

        Assert.Equal(new ClientOutage(2, "http://b/", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 3, 2), ledger.LongestOutage);
    }

    [Fact]
    public void Acknowledge_FromManyThreads_KeepsEveryOrder()
    {
        var ledger = new LoadLedger();

        Parallel.For(0, 1000, i => ledger.Acknowledge(new AcknowledgedOrder($"k{i}", i, "GOOG", TradeType.Buy, 1)));
        ledger.MarkUnknown("k-unknown");

        Assert.Equal(1000, ledger.Acknowledged.Select(order => order.Key).Distinct().Count());
        Assert.Equal(["k-unknown"], ledger.Unknown);
    }
}
