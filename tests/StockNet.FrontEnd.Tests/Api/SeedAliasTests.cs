using Microsoft.Extensions.Configuration;

namespace StockNet.FrontEnd.Tests.Api;

public sealed class SeedAliasTests
{
    [Fact]
    public void SeedAliases_SeedVariables_MapToOurKeys()
    {
        var environment = new Dictionary<string, string>
        {
            ["FRONTEND_HOST"] = "0.0.0.0",
            ["FRONTEND_PORT"] = "9101",
            ["CATALOG_SERVICE_URL"] = "http://127.0.0.1:9097",
            ["ORDER_SERVICE_URLS"] = "http://127.0.0.1:9098,http://127.0.0.1:9099",
            ["CACHE_ENABLED"] = "0",
            ["CACHE_SIZE"] = "7",
        };
        var builder = new ConfigurationBuilder();

        FrontEndApp.SeedAliases.AddTo(builder, name => environment.GetValueOrDefault(name));
        var configuration = builder.Build();

        Assert.Equal("http://0.0.0.0:9101", configuration["urls"]);
        Assert.Equal("http://127.0.0.1:9097", configuration["FrontEnd:CatalogUrl"]);
        Assert.Equal("http://127.0.0.1:9098,http://127.0.0.1:9099", configuration["FrontEnd:OrderReplicas"]);
        Assert.Equal("false", configuration["Cache:Enabled"]);
        Assert.Equal("7", configuration["Cache:Capacity"]);
    }

    [Fact]
    public void SeedAliases_NoVariables_DefaultPort9001()
    {
        var builder = new ConfigurationBuilder();

        FrontEndApp.SeedAliases.AddTo(builder, _ => null);

        Assert.Equal("http://127.0.0.1:9001", builder.Build()["urls"]);
    }
}
