using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Hosting;

namespace StockNet.Orders.FaultInjection;

/// <summary>The order replica's test-only hooks, registered beside the serving code and never inside it.</summary>
internal static class OrderFaultInjection
{
    /// <summary>
    /// Binds <c>Orders:Testing</c>; a hook that is on fails start-up unless fault injection is allowed, and is added
    /// to <paramref name="protocolHttp"/> (the replica's one HTTP client) only then.
    /// </summary>
    public static IServiceCollection AddOrderFaultInjection(this IServiceCollection services, IConfiguration configuration, IHttpClientBuilder protocolHttp)
    {
        services.AddOptions<OrderTestingOptions>().BindConfiguration(OrderTestingOptions.SectionName)
            .Validate(testing => !testing.IsOn || FaultInjectionGate.IsAllowed(), FaultInjectionGate.Refusal(OrderTestingOptions.SectionName))
            .ValidateOnStart();
        var testing = configuration.GetSection(OrderTestingOptions.SectionName).Get<OrderTestingOptions>();
        if (testing is { IsOn: true, CrashAfterCatalogKeyPrefix: { } prefix } && FaultInjectionGate.IsAllowed())
        {
            protocolHttp.AddHttpMessageHandler(() => new CrashAfterCatalogTrade(prefix));
        }

        return services;
    }
}
