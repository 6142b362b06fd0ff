using StockNet.Cluster;
using StockNet.Cluster.Network;
using StockNet.IntegrationTests.Consistency;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Partitions;

/// <summary>
/// Base of the partition tests: trades through both front-ends at once, finds the leader, and after each test
/// heals every link and waits until both front-ends trade again, so the next test starts from a whole cluster.
/// </summary>
public abstract class PartitionTest(HostsCluster cluster) : ClusterTest<HostsCluster>(cluster), IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    protected NetworkHosts Network => Cluster.Network;

    public ValueTask InitializeAsync()
    {
        Cluster.SkipUnlessAvailable();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster.UnavailableReason is not null)
        {
            return;
        }

        await Network.HealAsync();
        Assert.Equal(0, await Network.CountRulesAsync());
        GC.SuppressFinalize(this);
    }

    /// <summary>Two clients on each front-end.</summary>
    protected (TradeLoad First, TradeLoad Second) StartLoads()
    {
        var first = new TradeLoad(Cluster.Cluster.FrontEnds[0].BaseUrl, clients: 2);
        var second = new TradeLoad(Cluster.Cluster.FrontEnds[1].BaseUrl, clients: 2);
        first.Start();
        second.Start();
        return (first, second);
    }

    protected static async Task BothTradeAsync(TradeLoad first, TradeLoad second, int count)
    {
        await first.WaitForMoreAsync(count, Patience, Cancellation);
        await second.WaitForMoreAsync(count, Patience, Cancellation);
    }

    /// <summary>The replica that leads; waits (bounded) while none does.</summary>
    protected async Task<int> LeaderAsync() => await Eventually.UntilAsync(
        async ct =>
        {
            for (var id = 3; id >= 1; id--)
            {
                if ((await ClusterChecks.PingAsync(Cluster, id, ct)) is { IsLeader: true })
                {
                    return id;
                }
            }

            return 0;
        },
        id => id > 0,
        Patience,
        _ => "no replica leads",
        Cancellation);

    /// <summary>The highest epoch any answering replica reports: it rises with every election.</summary>
    protected async Task<long> HighestEpochAsync()
    {
        long highest = 0;
        for (var id = 1; id <= 3; id++)
        {
            highest = Math.Max(highest, (await ClusterChecks.PingAsync(Cluster, id, Cancellation))?.Epoch ?? 0);
        }

        return highest;
    }

    protected static string Replica(int id) => ClusterLayout.ReplicaName(id);

    protected static async Task StopAsync(TradeLoad first, TradeLoad second)
    {
        await first.StopAsync();
        await second.StopAsync();
    }

    // A trade the catalog applied while its reply was cut off becomes an order at the leader's next reconciliation
    // round, about a second after the heal: the check runs until it passes or its deadline, as after a catalog outage.
    protected async Task SettleAndCheckAsync(TradeLoad first, TradeLoad second) =>
        ClusterChecks.AssertPassed(await Settle.UntilPassedAsync(Cluster, [.. first.Acknowledged, .. second.Acknowledged], [1, 2, 3], Cancellation));
}
