using Microsoft.AspNetCore.Builder;
using StockNet.Catalog.FaultInjection;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Hosting.Telemetry;
using StockNet.Hosting.Security;

namespace StockNet.Catalog;

/// <summary>Entry point of the catalog service: <c>stocknet catalog</c> and the tests build it from configuration args.</summary>
public static class CatalogApp
{
    /// <summary>The seed's environment variables, accepted as aliases of our configuration keys.</summary>
    public static SeedAliases Aliases { get; } = new SeedAliases()
        .Listen("CATALOG_HOST", "CATALOG_PORT", DefaultPorts.Catalog)
        .Map("FRONTEND_SERVICE_URL", $"{CatalogOptions.SectionName}:{nameof(CatalogOptions.FrontEndUrl)}")
        .Map("CACHE_ENABLED", $"{CatalogOptions.SectionName}:{nameof(CatalogOptions.CacheEnabled)}", SeedAliases.Flag)
        .Map("CATALOG_FILE", $"{CatalogOptions.SectionName}:{nameof(CatalogOptions.CatalogFile)}");

    public static WebApplication Build(string[] args)
    {
        var builder = StockNetHosting.CreateBuilder(args, Aliases, "stocknet-catalog");
        builder.AddCatalogService();
        var app = builder.Build();
        app.UseStockNetErrors();
        app.UseStockNetSecurity();
        app.MapStockNetHealth();
        app.MapStockNetMetrics();
        var stocks = app.MapCatalogApi();
        app.UseCatalogFaultInjection(stocks);
        app.MapJournalApi();
        app.MapTradeBatchApi();
        return app;
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        ServiceRunner.RunAsync(() => Build(args), cancellationToken);
}
