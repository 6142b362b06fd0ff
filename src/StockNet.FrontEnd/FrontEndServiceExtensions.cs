using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Clients;
using StockNet.FrontEnd.Leadership;
using StockNet.FrontEnd.Orders;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;

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
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(FrontEndJsonContext.Default));

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
        AddTypedClient<CatalogClient>(services);
        AddTypedClient<OrderReplicaClient>(services);
        services.AddHealthChecks().AddCheck<LeaderHealthCheck>("order-leader", tags: [StockNetHosting.ReadyTag]);
        return services;
    }

    private static LruCache CreateCache(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<CacheOptions>>().Value;
        return new LruCache(options.Capacity, options.Ttl, provider.GetRequiredService<TimeProvider>());
    }

    // Pooled keep-alive connections, no automatic retries or redirects, and timeouts set per call by the clients.
    private static void AddTypedClient<TClient>(IServiceCollection services)
        where TClient : class =>
        services.AddHttpClient<TClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                ConnectTimeout = TimeSpan.FromSeconds(2),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .LogUnresolvedPeers();
}

/// <summary>Ready always (lookups work without orders), Degraded while no order leader is known.</summary>
internal sealed class LeaderHealthCheck(LeaderState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Current is { } leader
            ? HealthCheckResult.Healthy($"order leader: {leader}")
            : HealthCheckResult.Degraded("no order leader"));
}
