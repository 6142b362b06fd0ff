using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StockNet.Protocol;

/// <summary>
/// The one place where the HTTP clients of the protocol are configured: every call one Stock Net process makes
/// to another (and every call <c>load</c>, <c>bench</c> and <c>chaos</c> make) goes through the named client
/// registered here. Add a handler (authentication, signing, tracing) to <see cref="AddProtocolHttp"/> and every
/// caller gets it.
/// </summary>
public static class ProtocolHttp
{
    /// <summary>The named client of <see cref="IHttpClientFactory"/> that every typed client of this project uses.</summary>
    public const string ClientName = "StockNet.Protocol";

    /// <summary>
    /// Registers the protocol's named client: pooled keep-alive connections, no proxy, cookies, redirects or
    /// decompression (the contract has none), and no timeout or retry of its own. Every typed client sets its
    /// own deadline per call, since a 150 ms probe and a 2 s trade need different ones; retries are the caller's
    /// decision, and a trade is only ever retried with the same idempotency key.
    /// </summary>
    public static IHttpClientBuilder AddProtocolHttp(this IServiceCollection services, Action<ProtocolHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ProtocolHttpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddHttpClient(ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(provider.GetRequiredService<IOptions<ProtocolHttpOptions>>().Value))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
    }

    /// <summary>A client of the protocol's named configuration, for a typed client to wrap.</summary>
    public static HttpClient CreateProtocolClient(this IServiceProvider provider) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    private static SocketsHttpHandler CreateHandler(ProtocolHttpOptions options) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = options.MaxConnectionsPerServer,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    };
}
