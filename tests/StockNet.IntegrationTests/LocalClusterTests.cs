using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>The launcher's failure path: a service that refuses its configuration fails the start, and nothing is left running.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterTests
{
    [Fact(Timeout = 90_000)]
    public async Task StartAsync_ReplicaRefusesConfiguration_FailsNamingItAndLeavesNothingRunning()
    {
        var root = Path.Combine(Path.GetTempPath(), "stocknet-lc-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new ClusterOptions
        {
            UseFreePorts = true,
            DataRoot = root,
            Fresh = true,
            ReadyTimeout = StockNetCluster.ReadyTimeout,
            ExtraArguments = new Dictionary<string, IReadOnlyList<string>> { ["order-2"] = ["--Orders:ReplicaId=7"] },
        };
        await using var cluster = new LocalCluster(BuildPaths.StockNet, options);

        var failure = await Assert.ThrowsAsync<ServiceStartException>(() => cluster.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("order-2", failure.ServiceName);
        Assert.Equal(2, failure.ExitCode);
        Assert.False(failure.PortInUse);
        Assert.Empty(cluster.Services);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(cluster.Layout.Catalog.BaseUrl, TestContext.Current.CancellationToken));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void WipeDataRoot_HeldByTheUpThatWipes_EverythingGoneButItsLock()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-wipe-").FullName;
        try
        {
            using var held = DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName));
            Directory.CreateDirectory(Path.Combine(root, "order-1"));
            File.WriteAllText(Path.Combine(root, "order-1", "order_log_1.db"), "old");
            File.WriteAllText(Path.Combine(root, "cluster.key"), "old");

            LocalCluster.WipeDataRoot(root);

            Assert.Equal([Path.Combine(root, DataLock.DataRootFileName)], Directory.GetFileSystemEntries(root));
            Assert.Null(DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task DataLock_HolderKilled_FreeAtOnce()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-lock-").FullName;
        // flock(1) takes the same lock .NET takes for FileShare.None (an exclusive flock on the file), on the
        // shell's descriptor, and the shell becomes sleep: one process holds the lock, the one the test kills and
        // waits for. (`flock FILE sleep 60` forks sleep with the descriptor, so the lock outlived the awaited
        // flock process until the killed sleep was reaped too: a CI failure under load.)
        using var holder = System.Diagnostics.Process.Start(
            "bash", ["-c", "exec 9>>\"$1\" && flock --exclusive 9 && exec sleep 60", "holder", Path.Combine(root, DataLock.DataRootFileName)]);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName)) is { } early)
            {
                early.Dispose();
                Assert.True(DateTime.UtcNow < deadline, "flock never took the lock");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(TestContext.Current.CancellationToken);

            // A crashed `up` (kill -9) leaves no lock behind: the next one starts.
            using var next = DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName));
            Assert.NotNull(next);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }

            Directory.Delete(root, recursive: true);
        }
    }
}
