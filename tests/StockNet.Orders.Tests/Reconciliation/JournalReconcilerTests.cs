using Microsoft.Extensions.DependencyInjection;
using StockNet.Orders.Reconciliation;
using StockNet.Orders.Tests.Api;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Reconciliation;

/// <summary>The leader's journal reconciliation against a stub catalog whose journal the test writes.</summary>
public sealed class JournalReconcilerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReconcileAsync_OrphanInJournal_AdoptedWithItsKeyAndNextNumber()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        await leader.PlaceAsync("GOOG", 1, "placed");
        catalog.Journal("orphan", "IBM", 3);

        Assert.True(await Reconciler(leader).ReconcileAsync(Token));

        Assert.True(leader.Log.TryGetByKey("orphan", out var numberEntry));
        Assert.Equal(1, numberEntry.TransactionNumber);
        Assert.True(leader.Log.TryGet(1, out var entry));
        Assert.Equal(("IBM", 3, 1L), (entry.Name, entry.Quantity, entry.Epoch!.Value));
        Assert.Equal(2, leader.Log.JournalWatermark);
    }

    [Fact]
    public async Task PlaceOrder_RetryOfAdoptedKey_AnswersAdoptedNumberWithoutTrading()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        catalog.Journal("orphan");
        await Reconciler(leader).ReconcileAsync(Token);

        var retried = await leader.PlaceAsync("GOOG", 1, "orphan");

        Assert.Equal(0, retried);
        Assert.Equal(0, catalog.CallsFor("orphan"));
        Assert.Equal(1, leader.Log.CountEntries());
    }

    [Fact]
    public async Task ReconcileAsync_TradeWithoutKey_AdoptedUnderSyntheticKey()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var sequence = catalog.Journal(key: null, "AMD", 2);

        await Reconciler(leader).ReconcileAsync(Token);

        Assert.Equal("catalog-1", JournalReconciler.SyntheticKey(sequence));
        Assert.True(leader.Log.TryGetByKey("catalog-1", out var numberEntry));
        Assert.Equal(0, numberEntry.TransactionNumber);
    }

    [Fact]
    public async Task ReconcileAsync_OrphanWithJournaledNumber_AdoptedUnderThatNumber()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        catalog.Journal("acked-by-a-dead-leader", transactionNumber: 41);

        await Reconciler(leader).ReconcileAsync(Token);
        var next = await leader.PlaceAsync("GOOG", 1, "after");

        Assert.True(leader.Log.TryGetByKey("acked-by-a-dead-leader", out var numberEntry));
        Assert.Equal(41, numberEntry.TransactionNumber);
        Assert.Equal(42, next);
    }

    [Fact]
    public async Task ReconcileAsync_KeyInFlight_SkippedAndWatermarkKeptBelowIt()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        var release = catalog.Hold("held");
        var placing = leader.PlaceAsync("GOOG", 1, "held");
        await catalog.HeldReached.Task.WaitAsync(TimeSpan.FromSeconds(10), Token);
        catalog.Journal("later");

        await Reconciler(leader).ReconcileAsync(Token);

        Assert.False(leader.Log.HoldsKey("held"));
        Assert.True(leader.Log.HoldsKey("later"));
        Assert.Equal(0, leader.Log.JournalWatermark);

        release.SetResult();
        var number = await placing;
        await Reconciler(leader).ReconcileAsync(Token);

        // The held order reserved number 0 before its catalog call, so the adopted trade took 1.
        Assert.Equal(0, number);
        Assert.True(leader.Log.TryGetByKey("later", out var adoptedEntry));
        Assert.Equal(1, adoptedEntry.TransactionNumber);
        Assert.Equal(2, leader.Log.CountEntries());
        Assert.Equal(2, leader.Log.JournalWatermark);
    }

    [Fact]
    public async Task ReconcileAsync_EveryKeyLogged_NothingAdoptedTwice()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        catalog.Journal("orphan");
        for (var i = 0; i < 5; i++)
        {
            await leader.PlaceAsync("GOOG", 1, $"key-{i}");
        }

        await Reconciler(leader).ReconcileAsync(Token);
        await Reconciler(leader).ReconcileAsync(Token);
        await leader.PlaceAsync("GOOG", 1, "orphan");

        Assert.Equal(6, leader.Log.CountEntries());
        Assert.Equal(6, leader.Log.JournalWatermark);
        Assert.Equal(5, catalog.Trades);
        Assert.Equal(0, catalog.CallsFor("orphan"));
    }

    [Fact]
    public async Task ReconcileAsync_OrphansBeyondOnePage_AllAdoptedInOneRound()
    {
        using var dir = new TempDirectory();
        await using var catalog = await StubCatalog.StartAsync();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalog);
        const int Orphans = JournalReconciler.PageSize + 3;
        for (var i = 0; i < Orphans; i++)
        {
            catalog.Journal($"orphan-{i}");
        }

        Assert.True(await Reconciler(leader).ReconcileAsync(Token));

        Assert.Equal(Orphans, leader.Log.CountEntries());
        Assert.True(leader.Log.HoldsKey($"orphan-{Orphans - 1}"));
        Assert.Equal(Orphans, leader.Log.JournalWatermark);
    }

    [Fact]
    public async Task ReconcileAsync_CatalogWithoutJournal_FalseAndWatermarkUnchanged()
    {
        using var dir = new TempDirectory();
        await using var leader = await PlaceOrderTests.SingleLeaderAsync(dir, catalogUrl: "http://127.0.0.1:1");

        Assert.False(await Reconciler(leader).ReconcileAsync(Token));

        Assert.Equal(0, leader.Log.JournalWatermark);
        Assert.Equal(0, leader.Log.CountEntries());
    }

    private static JournalReconciler Reconciler(ReplicaNode node) => node.Services.GetRequiredService<JournalReconciler>();
}
