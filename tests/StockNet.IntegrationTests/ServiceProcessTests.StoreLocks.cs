using System.Globalization;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>A service holds its store's lock while it runs: a second one on it is refused, and an up waits for it or refuses.</summary>
public sealed partial class ServiceProcessTests
{
    [Fact(Timeout = TestTimeout)]
    public async Task Start_SecondCatalogOnTheSameDirectory_RefusedWhileTheFirstRuns()
    {
        var first = await StartCatalogAsync();
        var port = FreePorts.Take("127.0.0.1", 1)[0].ToString(CultureInfo.InvariantCulture);

        // The lock is taken while the host starts, before Kestrel binds: the refusal is about the store, never the port.
        var second = Start("catalog-2", ["catalog", "--port", port, "--data-dir", _dataDir, "--cache", "off"], port);
        var failure = await Assert.ThrowsAsync<ServiceStartException>(() => second.WaitReadyAsync(Ready, Cancel));

        Assert.Equal(2, failure.ExitCode);
        Assert.Contains(DataLock.ForStore(CatalogDatabase), failure.Message, StringComparison.Ordinal);
        await first.WaitReadyAsync(Ready, Cancel);
    }

    [Fact(Timeout = TestTimeout)]
    public async Task ClaimAsync_CatalogHoldingItsStore_RefusedWhileItRunsAndClaimedOnceItIsKilled()
    {
        var catalog = await StartCatalogAsync();
        var refusal = await Assert.ThrowsAsync<DataRootRefusedException>(() => DataRoot.ClaimAsync(_dataDir, wipe: false, TimeSpan.Zero, Cancel));
        Assert.Equal(DataRoot.StillInUse(DataLock.ForStore(CatalogDatabase)), refusal.Message);

        // No deadline of its own (the test's bounds it): the claim ends because the holder is gone, never because time ran out.
        var heard = new List<string>();
        var claim = DataRoot.ClaimAsync(_dataDir, wipe: false, TimeSpan.MaxValue, Cancel, heard.Add);
        Assert.False(claim.IsCompleted, "claimed while the catalog holds its store");
        await catalog.KillAsync(Cancel);

        using var claimed = await claim;
        Assert.Equal([DataRoot.WaitingFor(DataLock.ForStore(CatalogDatabase), TimeSpan.MaxValue)], heard);
        Assert.True(File.Exists(CatalogDatabase));
    }

    [Fact(Timeout = 150_000)]
    public async Task Up_CatalogStillRunningUnderTheRoot_RefusesNamingItAndWipesNothing()
    {
        var catalog = await StartCatalogAsync();

        var up = await CliRunner.RunAsync(["up", "--fresh", "--free-ports", "--data-dir", _dataDir], TimeSpan.FromSeconds(120), Cancel);

        Assert.Equal(1, up.ExitCode);
        Assert.Equal(DataRoot.StillInUse(DataLock.ForStore(CatalogDatabase)) + Environment.NewLine, up.Error);
        Assert.Contains(DataRoot.WaitingFor(DataLock.ForStore(CatalogDatabase), DataRoot.ServiceExitWait), up.Output.Split(Environment.NewLine));
        Assert.True(File.Exists(CatalogDatabase));
        await catalog.WaitReadyAsync(Ready, Cancel);
    }

    private string CatalogDatabase => Path.Combine(_dataDir, "catalog.db");
}
