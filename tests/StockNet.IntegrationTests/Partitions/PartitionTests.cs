using System.Net;
using StockNet.Cluster;
using StockNet.Cluster.Network;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Partitions;

/// <summary>
/// One test per kind of partition, on hosts of their own, with clients trading through both front-ends: every
/// acknowledged order survives, nothing is doubled, the catalog and the logs agree, and the cluster serves again
/// after the heal.
/// </summary>
public sealed class PartitionTests(HostsCluster cluster) : PartitionTest(cluster)
{
    [Fact(Timeout = 120_000)]
    public async Task LeaderHiddenFromOneFrontEnd_ElectionsStopBothServe_AlsoAfterHealAndLeaderKill()
    {
        var (first, second) = StartLoads();
        await using var firstLoad = first;
        await using var secondLoad = second;
        await BothTradeAsync(first, second, 20);

        var leader = await LeaderAsync();
        await Network.CutAsync(ClusterLayout.FrontEndNameOf(1), Replica(leader), CutDirection.Both);
        await BothTradeAsync(first, second, 40);
        var settled = await HighestEpochAsync();
        await BothTradeAsync(first, second, 40);
        Assert.Equal(settled, await HighestEpochAsync());

        await Network.HealAsync();
        await BothTradeAsync(first, second, 20);
        var killed = await LeaderAsync();
        await Cluster.Replica(killed).KillAsync(Cancellation);
        await BothTradeAsync(first, second, 20);
        Cluster.Replica(killed).Start();
        await Cluster.Replica(killed).WaitReadyAsync(StockNetCluster.ReadyTimeout, Cancellation);
        await StopAsync(first, second);

        AssertNoErrors(first, second);
        await SettleAndCheckAsync(first, second);
    }

    [Fact(Timeout = 120_000)]
    public async Task LeaderCutFromBothFollowers_EveryAcknowledgementOnTheMajority_FollowerLeadsThenAllConverge()
    {
        var (first, second) = StartLoads();
        await using var firstLoad = first;
        await using var secondLoad = second;
        await BothTradeAsync(first, second, 20);

        var leader = await LeaderAsync();
        int[] followers = [.. Enumerable.Range(1, 3).Where(id => id != leader)];
        var cutAt = (First: first.Elapsed, Second: second.Elapsed);
        foreach (var follower in followers)
        {
            await Network.CutAsync(Replica(leader), Replica(follower), CutDirection.Both);
        }

        await BothTradeAsync(first, second, 20);

        // Still cut off: the minority leader has acknowledged nothing since the cut that the followers lack.
        var majority = new HashSet<(string Key, long Number)>();
        foreach (var follower in followers)
        {
            var log = await ClusterChecks.ReadLogAsync(Cluster, follower, Cancellation) ?? throw new InvalidOperationException($"replica {follower} gave no log");
            majority.UnionWith(log.Where(entry => entry.IdempotencyKey is not null).Select(entry => (entry.IdempotencyKey!, entry.TransactionNumber)));
        }

        var since = first.Acknowledged.Where(order => order.At >= cutAt.First).Concat(second.Acknowledged.Where(order => order.At >= cutAt.Second)).ToList();
        Assert.NotEmpty(since);
        Assert.All(since, order => Assert.Contains((order.Key, order.Number), majority));
        Assert.Contains(await LeaderAsync(), followers);

        await Network.HealAsync();
        await BothTradeAsync(first, second, 20);
        await StopAsync(first, second);

        // A client may hear 503 while its front-end moves to the new leader; never an acknowledgement that is lost.
        Assert.All(first.Errors.Concat(second.Errors), error => Assert.Contains(" 503 ", error, StringComparison.Ordinal));
        await SettleAndCheckAsync(first, second);
    }

    [Fact(Timeout = 120_000)]
    public async Task CatalogCutFromLeader_TradesFailFastWithoutElectionThenResume()
    {
        var (first, second) = StartLoads();
        await using var firstLoad = first;
        await using var secondLoad = second;
        await BothTradeAsync(first, second, 20);

        var leader = await LeaderAsync();
        var epoch = await HighestEpochAsync();
        await Network.CutAsync(ClusterLayout.CatalogName, Replica(leader), CutDirection.Both);
        await Eventually.UntilAsync(_ => Task.FromResult(first.Errors.Count + second.Errors.Count > 0), Patience, () => "no trade failed", Cancellation);
        await AssertLookupsServedAsync();
        Assert.Equal(epoch, await HighestEpochAsync());

        await Network.HealAsync();
        await BothTradeAsync(first, second, 20);
        await StopAsync(first, second);

        Assert.All(first.Errors.Concat(second.Errors), error => Assert.Contains("503", error, StringComparison.Ordinal));
        await SettleAndCheckAsync(first, second);
    }

    [Fact(Timeout = 120_000)]
    public async Task FrontEndCutFromCatalog_TradesContinueAndLookupsFreshAfterHeal()
    {
        await TradeThroughPartitionAsync(
            () => Network.CutAsync(ClusterLayout.FrontEndNameOf(1), ClusterLayout.CatalogName, CutDirection.Both),
            tradesDuring: 30,
            tradesAfter: 10);
        // Pushes sent during the cut were lost; the front-end resyncs once it meets the catalog again, the TTL at worst.
        await Eventually.UntilAsync(async ct => await LookupsMatchCatalogAsync(ct), TimeSpan.FromSeconds(15), () => "lookups at the first front-end lag the catalog", Cancellation);
    }

    [Fact(Timeout = 120_000)]
    public async Task LeaderCannotCallOneFollower_OneWay_TradesContinueAndLogsConverge()
    {
        await TradeThroughPartitionAsync(
            async () =>
            {
                var leader = await LeaderAsync();
                var follower = leader == 1 ? 2 : 1;
                await Network.CutAsync(Replica(leader), Replica(follower), CutDirection.OneWay);
            },
            tradesDuring: 30,
            tradesAfter: 10);
    }

    [Fact(Timeout = 120_000)]
    public async Task SlowLossyLeaderLink_TradesContinueWithoutFlapping()
    {
        if (!Network.CanDelay)
        {
            Assert.Skip("Neither netem nor an NFQUEUE delayer (libnetfilter-queue1, iptables) works here, so no link can be slowed.");
        }

        var (first, second) = StartLoads();
        await using var firstLoad = first;
        await using var secondLoad = second;
        await BothTradeAsync(first, second, 20);

        var leader = await LeaderAsync();
        var before = await HighestEpochAsync();
        var applied = await Network.SlowAsync(Replica(leader), TimeSpan.FromMilliseconds(50), 3);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await BothTradeAsync(first, second, 30);
        var elections = await HighestEpochAsync() - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"slow leader link ({applied}): epoch rose by {elections} in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(Network.NetemAvailable || Network.DelayedPackets > 0, "the delayer held no packet of the leader's");
        await Network.HealAsync();
        await BothTradeAsync(first, second, 10);
        await StopAsync(first, second);

        AssertNoErrors(first, second);
        await SettleAndCheckAsync(first, second);
    }

    // Clients trade through both front-ends before, during and after one partition that trades should ride out:
    // none may fail, and afterwards every acknowledged order is there once and the logs and the catalog agree.
    private async Task TradeThroughPartitionAsync(Func<Task> cut, int tradesDuring, int tradesAfter)
    {
        var (first, second) = StartLoads();
        await using var firstLoad = first;
        await using var secondLoad = second;
        await BothTradeAsync(first, second, 20);

        await cut();
        await BothTradeAsync(first, second, tradesDuring);
        await Network.HealAsync();
        await BothTradeAsync(first, second, tradesAfter);
        await StopAsync(first, second);

        AssertNoErrors(first, second);
        await SettleAndCheckAsync(first, second);
    }

    private static void AssertNoErrors(TradeLoad first, TradeLoad second)
    {
        var errors = first.Errors.Concat(second.Errors).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} trades failed:\n" + string.Join("\n", errors.Take(10)));
    }

    private async Task AssertLookupsServedAsync()
    {
        foreach (var frontEnd in Cluster.Cluster.FrontEnds)
        {
            using var http = Cluster.ClientFor(frontEnd);
            using var response = await http.GetAsync(Routes.Stock("GOOG"), Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task<bool> LookupsMatchCatalogAsync(CancellationToken cancellationToken)
    {
        using var frontEnd = Cluster.ClientFor(Cluster.Cluster.FrontEnds[0]);
        using var catalog = Cluster.ClientFor(Cluster.Catalog);
        foreach (var name in new[] { "APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM" })
        {
            var cached = await frontEnd.GetStringAsync(Routes.Stock(name), cancellationToken);
            var truth = await catalog.GetStringAsync(Routes.Stock(name), cancellationToken);
            if (Quantity(cached) != Quantity(truth))
            {
                return false;
            }
        }

        return true;
    }

    private static long Quantity(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("data").GetProperty("quantity").GetInt64();
    }
}
