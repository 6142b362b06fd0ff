using StockNet.Cluster;

namespace StockNet.Chaos.Tests;

public sealed class ChaosClusterTests
{
    [Fact]
    public async Task StartAsync_DataDirUnderAFile_RefusedBeforeAnythingIsStarted()
    {
        var file = Path.GetTempFileName();
        try
        {
            var root = Path.Combine(file, "data");

            // The file is no executable: the refusal comes before anything would be started.
            var refusal = await Assert.ThrowsAsync<DataRootRefusedException>(() => ChaosCluster.StartAsync(
                StockNetExecutable.FromDll(file), new ChaosOptions { DataRoot = root }, TestContext.Current.CancellationToken));

            Assert.StartsWith($"Cannot write the data directory {root} (", refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
