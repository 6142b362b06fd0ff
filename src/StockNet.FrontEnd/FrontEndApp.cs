using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;
using StockNet.Hosting.Telemetry;
using StockNet.Hosting.Security;

namespace StockNet.FrontEnd;

/// <summary>The front-end service: the only public API, with the quote cache and the order leader election.</summary>
public static class FrontEndApp
{
    /// <summary>The seed's environment variables (docs/api.md), as aliases of our configuration keys.</summary>
    public static SeedAliases SeedAliases { get; } = new SeedAliases()
        .Listen("FRONTEND_HOST", "FRONTEND_PORT", DefaultPorts.FrontEnd)
        .Map("CATALOG_SERVICE_URL", "FrontEnd:CatalogUrl")
        .Map("ORDER_SERVICE_URLS", "FrontEnd:OrderReplicas")
        .Map("CACHE_ENABLED", "Cache:Enabled", SeedAliases.Flag)
        .Map("CACHE_SIZE", "Cache:Capacity");

    public static WebApplication Build(string[] args)
    {
        var builder = StockNetHosting.CreateBuilder(args, SeedAliases, "stocknet-frontend");
        builder.Services.AddFrontEnd();

        // "Degraded" (no order leader) is our readiness answer, not a fault: the health service would log it on every poll.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Error);
        var app = builder.Build();

        // Created now, so its instruments report from the first scrape.
        app.Services.GetRequiredService<FrontEndMetrics>();
        app.Services.GetRequiredService<ClusterTimeline>();
        app.UseStockNetErrors();
        app.UseStockNetSecurity();
        app.MapStockNetHealth();
        app.MapStockNetMetrics();
        app.MapStocksApi();
        app.MapOrderForwardingApi();
        app.MapInvalidationApi();
        app.MapStatusApi();
        return app;
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        ServiceRunner.RunAsync(() => Build(args), cancellationToken);
}
