using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Hosting;
using StockNet.Hosting.Telemetry;
using StockNet.Orders.Telemetry;
using StockNet.Hosting.Security;

namespace StockNet.Orders;

/// <summary>The order replica: entry point for <c>stocknet order</c> and for tests.</summary>
public static class OrdersApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = StockNetHosting.CreateBuilder(args, Aliases(), "stocknet-order");
        ListenAddress.Apply(builder, Environment.GetEnvironmentVariable);
        builder.AddOrderService();

        var app = builder.Build();

        // Created now, so its gauges report from the first scrape.
        app.Services.GetRequiredService<OrderGauges>();
        app.UseStockNetErrors();
        app.UseStockNetSecurity();
        app.MapStockNetHealth();
        app.MapStockNetMetrics();
        app.MapOrdersApi();
        app.MapReplicationApi();
        app.MapLogSyncApi();
        return app;
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        ServiceRunner.RunAsync(() => Build(args), cancellationToken);

    /// <summary>
    /// The seed's variables; ORDER_HOST/ORDER_PORT are handled by <see cref="ListenAddress"/>, whose default port depends
    /// on the id. ORDER_SERVICE_URLS is the front-end's list, accepted here too so one list serves every service.
    /// </summary>
    internal static SeedAliases Aliases() => new SeedAliases()
        .Map("REPLICA_ID", "Orders:ReplicaId")
        .Map("ORDER_SERVICE_URLS", "Orders:Replicas")
        .Map("CATALOG_SERVICE_URL", "Orders:CatalogUrl")
        .Map("ORDER_LOG_FILE", "Orders:DatabasePath")
        .Map("TOTAL_REPLICAS", "Orders:TotalReplicas");
}
