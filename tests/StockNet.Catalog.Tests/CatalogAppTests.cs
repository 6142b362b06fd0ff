using Microsoft.Extensions.Configuration;

namespace StockNet.Catalog.Tests;

public sealed class CatalogAppTests
{
    [Fact]
    public void Aliases_SeedVariables_MapToCatalogKeys()
    {
        var environment = new Dictionary<string, string>
        {
            ["CATALOG_HOST"] = "0.0.0.0",
            ["CATALOG_PORT"] = "7001",
            ["FRONTEND_SERVICE_URL"] = "http://frontend:9001",
            ["CACHE_ENABLED"] = "0",
            ["CATALOG_FILE"] = "/data/catalog.csv",
        };
        var builder = new ConfigurationBuilder();

        CatalogApp.Aliases.AddTo(builder, variable => environment.GetValueOrDefault(variable));
        var configuration = builder.Build();

        Assert.Equal("http://0.0.0.0:7001", configuration["urls"]);
        Assert.Equal("http://frontend:9001", configuration["Catalog:FrontEndUrl"]);
        Assert.Equal("false", configuration["Catalog:CacheEnabled"]);
        Assert.Equal("/data/catalog.csv", configuration["Catalog:CatalogFile"]);
    }

    [Fact]
    public void Aliases_NoSeedVariables_ListenOnDefaultPort()
    {
        var builder = new ConfigurationBuilder();

        CatalogApp.Aliases.AddTo(builder, _ => null);

        Assert.Equal("http://127.0.0.1:8997", builder.Build()["urls"]);
    }

    [Fact]
    public async Task RunAsync_BadCatalogFile_ReturnsExitCode2()
    {
        var directory = Path.Combine(Path.GetTempPath(), "stocknet-catalog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, "bad.csv");
        await File.WriteAllTextAsync(csv, "name,price,quantity\nFOO,abc,1\n", TestContext.Current.CancellationToken);

        var exitCode = await CatalogApp.RunAsync(
            ["--urls", "http://127.0.0.1:0", $"--Catalog:DataDir={directory}", $"--Catalog:CatalogFile={csv}"],
            TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Directory.Delete(directory, recursive: true);
    }
}
