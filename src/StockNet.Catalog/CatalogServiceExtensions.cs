using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
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
        services.Configure<JsonOptions>(ConfigureJson);
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
            });
        return builder;
    }

    // A source-generated context placed in a resolver chain follows the options' naming, not its own, and the
    // web defaults are camelCase; the contract is snake_case without nulls, so the options must say so too.
    private static void ConfigureJson(JsonOptions json)
    {
        json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.SerializerOptions.TypeInfoResolverChain.Add(CatalogJsonContext.Default);
    }

    private static void ConfigureFrontEnd(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        // The publisher bounds each attempt itself; this is the backstop.
        http.Timeout = options.InvalidationTimeout * 2;
    }
}
