using StockNet.Cluster;
using StockNet.Hosting;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests;

/// <summary>A test-only hook in the configuration of a process that is not allowed to inject faults stops it at start-up.</summary>
public sealed class FaultInjectionGateTests
{
    [Theory]
    [InlineData("catalog", "--Catalog:Testing:LookupDelay=00:00:01")]
    [InlineData("order", "--Orders:Testing:CrashAfterCatalogKeyPrefix=crash-")]
    public async Task Service_TestingHookWithoutPermission_RefusesToStart(string service, string hook)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataDir = Path.Combine(Path.GetTempPath(), "stocknet-gate-" + Guid.NewGuid().ToString("N")[..12]);
        var port = FreePorts.Take("127.0.0.1", 1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] replica = service == "order" ? ["--id", "1", "--replicas", $"http://127.0.0.1:{port}"] : [];
        try
        {
            var result = await CliRunner.RunAsync(
                [service, "--insecure", "--port", port, "--data-dir", dataDir, .. replica, hook],
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
