using StockNet.Cluster;
using StockNet.Hosting;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>A test-only hook in the configuration of a process that is not allowed to inject faults stops it at start-up.</summary>
public sealed class FaultInjectionGateTests
{
    [Fact]
    public async Task Catalog_LookupDelayWithoutPermission_RefusesToStart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDir = Path.Combine(Path.GetTempPath(), "stocknet-gate-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var result = await CliRunner.RunAsync(
                ["catalog", "--insecure", "--port", FreePorts.Take("127.0.0.1", 1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--data-dir", dataDir, "--Catalog:Testing:LookupDelay=00:00:01"],
                TimeSpan.FromSeconds(60),
                cancellationToken,
                environment: new Dictionary<string, string?> { [FaultInjectionGate.AllowVariable] = null });

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(FaultInjectionGate.AllowVariable + "=1", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}
