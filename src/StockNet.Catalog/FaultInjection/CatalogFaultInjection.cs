using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StockNet.Hosting;

namespace StockNet.Catalog.FaultInjection;

/// <summary>The catalog's test-only hooks, registered beside the serving code and never inside it.</summary>
internal static class CatalogFaultInjection
{
    /// <summary>Binds <c>Catalog:Testing</c>; a hook that is on fails start-up unless fault injection is allowed.</summary>
    public static IServiceCollection AddCatalogFaultInjection(this IServiceCollection services)
    {
        services.AddOptions<CatalogTestingOptions>().BindConfiguration(CatalogTestingOptions.SectionName)
            .Validate(testing => testing.LookupDelay >= TimeSpan.Zero, "Catalog:Testing:LookupDelay must not be negative.")
            .Validate(testing => !testing.IsOn || FaultInjectionGate.IsAllowed(), FaultInjectionGate.Refusal(CatalogTestingOptions.SectionName))
            .ValidateOnStart();
        return services;
    }

    /// <summary>With <see cref="CatalogTestingOptions.LookupDelay"/> set, decorates the lookup: it reads the quote, then waits, then replies.</summary>
    public static void UseCatalogFaultInjection(this WebApplication app, RouteGroupBuilder stocks)
    {
        var delay = app.Services.GetRequiredService<IOptions<CatalogTestingOptions>>().Value.LookupDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        var time = app.Services.GetRequiredService<TimeProvider>();
        stocks.AddEndpointFilter(async (context, next) =>
        {
            var reply = await next(context);
            if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == CatalogApi.GetQuoteName)
            {
                await Task.Delay(delay, time, context.HttpContext.RequestAborted);
            }

            return reply;
        });
    }
}
