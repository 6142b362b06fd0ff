using StockNet.Cluster;

namespace StockNet.Chaos.Tests;

public sealed class ChaosClusterTests
{
    [Fact]
    public async Task StartAsync_DataRootHeldByAnotherUp_RefusedBeforeAnythingIsWipedOrStarted()
    {
        var root = Directory.CreateTempSubdirectory("stocknet-chaos-lock-").FullName;
        try
        {
            var running = Path.Combine(root, "catalog", "catalog.db");
            Directory.CreateDirectory(Path.GetDirectoryName(running)!);
            await File.WriteAllTextAsync(running, "the running cluster's", TestContext.Current.CancellationToken);
            using var held = DataRootLock.TryAcquire(root);
            Assert.NotNull(held);

            // An empty file: the executable is never started, the refusal comes first.
            var never = Path.Combine(root, "never-started.dll");
            await File.WriteAllTextAsync(never, "", TestContext.Current.CancellationToken);
            var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => ChaosCluster.StartAsync(
                StockNetExecutable.FromDll(never), new ChaosOptions { DataRoot = root }, TestContext.Current.CancellationToken));

            Assert.Equal(ChaosCluster.DataRootInUse(root), refusal.Message);
            Assert.Equal("the running cluster's", await File.ReadAllTextAsync(running, TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
