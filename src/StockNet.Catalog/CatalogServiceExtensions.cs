using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StockNet.Catalog.FaultInjection;
using StockNet.Catalog.Invalidation;
using StockNet.Hosting;
using StockNet.Protocol;

namespace StockNet.Catalog;

/// <summary>Registers everything the catalog service needs.</summary>
internal static class CatalogServiceExtensions
{
    public static WebApplicationBuilder AddCatalogService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>();
        services.AddCatalogFaultInjection();
        // Body validation (TradeRequest's attributes). Called here, not in the shared hosting: ASP.NET Core's
        // validation generator emits validators only into a project that calls AddValidation itself.
        services.AddValidation();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InvalidationQueue>();
        services.AddSingleton<CatalogStore>();
        services.AddHostedService<CatalogStoreLoader>();
        services.AddHostedService<InvalidationPublisher>();
        services.AddHealthChecks().AddCheck<CatalogReadinessCheck>("catalog-store", tags: [StockNetHosting.ReadyTag]);
        services.AddProtocolHttp().LogUnresolvedPeers();
        services.AddSingleton<IReadOnlyList<FrontEndClient>>(CreateFrontEndClients);
        return builder;
    }

    // One client per front-end the catalog pushes to. The publisher bounds each attempt itself; the client's deadline is the backstop.
    private static FrontEndClient[] CreateFrontEndClients(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        return [.. options.FrontEnds.Select(frontEnd => new FrontEndClient(services.CreateProtocolClient(), frontEnd, options.InvalidationTimeout * 2))];
    }
}
