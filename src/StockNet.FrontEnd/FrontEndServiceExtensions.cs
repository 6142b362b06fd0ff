using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Leadership;
using StockNet.FrontEnd.Orders;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;
using StockNet.Protocol;

namespace StockNet.FrontEnd;

/// <summary>Registers the front-end: options validated at start-up, the cache, the elector and the typed clients.</summary>
public static class FrontEndServiceExtensions
{
    public static IServiceCollection AddFrontEnd(this IServiceCollection services)
    {
        services.AddOptions<FrontEndOptions>().BindConfiguration(FrontEndOptions.SectionName).ValidateOnStart();
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateOnStart();
        services.AddOptions<LeaderElectionOptions>().BindConfiguration(LeaderElectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FrontEndOptions>, FrontEndOptionsValidator>();
        services.AddSingleton<IValidateOptions<CacheOptions>, CacheOptionsValidator>();
        services.AddSingleton<IValidateOptions<LeaderElectionOptions>, LeaderElectionOptionsValidator>();

        // Body validation (TradeRequest's attributes). Called here, not in the shared hosting: ASP.NET Core's
        // validation generator emits validators only into a project that calls AddValidation itself.
        services.AddValidation();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CreateCache);
        services.AddSingleton<QuoteLookup>();
        services.AddSingleton<LeaderState>();
        services.AddSingleton<LeaderElector>();
        services.AddHostedService(provider => provider.GetRequiredService<LeaderElector>());
        services.AddSingleton<OrderForwarder>();
        services.AddSingleton<FrontEndMetrics>();
        services.AddSingleton<FrontEndTraffic>();
        services.AddSingleton<ClusterTimeline>();
        services.AddSingleton<ClusterMonitor>();
        services.AddProtocolHttp().LogUnresolvedPeers();
        services.AddSingleton(CreateCatalogClient);
        services.AddSingleton(provider => new OrderReplicaClient(provider.CreateProtocolClient()));
        services.AddHealthChecks().AddCheck<LeaderHealthCheck>("order-leader", tags: [StockNetHosting.ReadyTag]);
        return services;
    }

    private static CatalogClient CreateCatalogClient(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<FrontEndOptions>>().Value;
        return new CatalogClient(provider.CreateProtocolClient(), new Uri(options.CatalogUrl), options.CatalogTimeout);
    }

    private static LruCache CreateCache(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<CacheOptions>>().Value;
        return new LruCache(options.Capacity, options.Ttl, provider.GetRequiredService<TimeProvider>());
    }
}

/// <summary>Ready always (lookups work without orders), Degraded while no order leader is known.</summary>
internal sealed class LeaderHealthCheck(LeaderState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Current is { } leader
            ? HealthCheckResult.Healthy($"order leader: {leader}")
            : HealthCheckResult.Degraded("no order leader"));
}
