using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StockNet.Catalog.Invalidation;
using StockNet.Hosting;

namespace StockNet.Catalog;

/// <summary>Registers everything the catalog service needs.</summary>
internal static class CatalogServiceExtensions
{
    public static WebApplicationBuilder AddCatalogService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        services.AddOptions<CatalogTestingOptions>().BindConfiguration(CatalogTestingOptions.SectionName)
            .Validate(testing => testing.LookupDelay >= TimeSpan.Zero, "Catalog:Testing:LookupDelay must not be negative.")
            .ValidateOnStart();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(CatalogJsonContext.Default));

        // Body validation (TradeRequest's attributes). Called here, not in the shared hosting: ASP.NET Core's
        // validation generator emits validators only into a project that calls AddValidation itself.
        services.AddValidation();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InvalidationQueue>();
        services.AddSingleton<CatalogStore>();
        services.AddHostedService<CatalogStoreLoader>();
        services.AddHostedService<InvalidationPublisher>();
        services.AddHealthChecks().AddCheck<CatalogReadinessCheck>("catalog-store", tags: [StockNetHosting.ReadyTag]);
        services.AddHttpClient<FrontEndClient>(ConfigureFrontEnd)
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectTimeout = services.GetRequiredService<IOptions<CatalogOptions>>().Value.InvalidationTimeout,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            })
            .LogUnresolvedPeers();
        return builder;
    }

    private static void ConfigureFrontEnd(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        // The publisher bounds each attempt itself; this is the backstop.
        http.Timeout = options.InvalidationTimeout * 2;
    }
}
