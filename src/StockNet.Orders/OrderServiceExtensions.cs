using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Orders.FaultInjection;
using StockNet.Orders.Leadership;
using StockNet.Orders.Placement;
using StockNet.Orders.Reconciliation;
using StockNet.Orders.Recovery;
using StockNet.Orders.Replication;
using StockNet.Orders.Telemetry;
using StockNet.Protocol;

namespace StockNet.Orders;

/// <summary>Registers the order replica: validated options, the log, roles, clients and the recovery services.</summary>
public static class OrderServiceExtensions
{
    public static WebApplicationBuilder AddOrderService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Body validation (TradeRequest's attributes). Called here, not in the shared hosting: ASP.NET Core's
        // validation generator emits validators only into a project that calls AddValidation itself.
        services.AddValidation();
        services.AddOptions<OrderOptions>().BindConfiguration(OrderOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrderOptions>, OrderOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ClusterTopology>();
        // The log is this replica's alone: its lock is taken before the log opens (a second process on it is refused
        // at start) and released after the log closes (the container disposes in reverse order of creation).
        services.AddSingleton(sp => DataLock.AcquireForStore(sp.GetRequiredService<IOptions<OrderOptions>>().Value.ResolvedDatabasePath));
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<DataLock>();
            return OrderLog.Open(sp.GetRequiredService<IOptions<OrderOptions>>().Value.ResolvedDatabasePath);
        });
        services.AddSingleton<ReplicaState>();
        services.AddSingleton<KeysInFlight>();
        services.AddSingleton<OrderNumbering>();
        services.AddSingleton<CatalogBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogBatcher>());
        services.AddSingleton<OrderPlacement>();
        services.AddSingleton<OrderAdoption>();
        services.AddSingleton<JournalReconciler>();
        services.AddHostedService<ReconciliationService>();
        services.AddSingleton<ReplicationManager>();
        services.AddSingleton<OrderGauges>();
        services.AddHostedService<FollowerPumps>();
        services.AddSingleton<PeerLogs>();
        services.AddSingleton<SuffixMerge>();
        services.AddSingleton<LeaderRecovery>();
        services.AddSingleton<FollowerResync>();
        services.AddHostedService(sp => sp.GetRequiredService<FollowerResync>());
        services.AddSingleton<CatchUpService>();
        services.AddHostedService(sp => sp.GetRequiredService<CatchUpService>());
        var protocolHttp = AddClients(services);
        services.AddOrderFaultInjection(builder.Configuration, protocolHttp);
        services.AddHealthChecks().AddCheck<CatchUpReadiness>("catch-up", tags: [StockNetHosting.ReadyTag]);
        return builder;
    }

    // Every call of these clients carries its own deadline; nothing is retried here (a trade never is).
    private static IHttpClientBuilder AddClients(IServiceCollection services)
    {
        var protocolHttp = services.AddProtocolHttp().LogUnresolvedPeers();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OrderOptions>>().Value;
            return new CatalogClient(provider.CreateProtocolClient(), new Uri(options.CatalogUrl), options.CatalogTimeout);
        });
        services.AddSingleton(provider => new OrderReplicaClient(provider.CreateProtocolClient()));
        return protocolHttp;
    }
}

/// <summary>Ready once start-up catch-up is done; the front-end elects only ready replicas.</summary>
internal sealed class CatchUpReadiness(ReplicaState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("catching up"));
}
