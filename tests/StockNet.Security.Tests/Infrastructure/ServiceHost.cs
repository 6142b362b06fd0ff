using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using StockNet.Catalog;
using StockNet.Contracts.Security;
using StockNet.FrontEnd;
using StockNet.Orders;

namespace StockNet.Security.Tests.Infrastructure;

/// <summary>One service app (catalog, order replica or front-end) in this process, on a loopback port of its own.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string KeyText = "security-tests-cluster-key";

    public static readonly ClusterKey Key = ClusterKey.Parse(KeyText);

    private ServiceHost(string service, WebApplication app, Uri baseUrl)
    {
        Service = service;
        App = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The service's name in <see cref="PublicRoutes"/>.</summary>
    public string Service { get; }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    /// <summary>
    /// Every route the app maps, built anew on each read (a minimal-API data source makes its endpoints, request delegates
    /// and all, every time): read it once. An endpoint that is not a route throws: ClusterPolicyEvaluator lets the
    /// fallback policy through for anything that is not a <see cref="RouteEndpoint"/> (routing's own 404, 405 and 415),
    /// so a mapped endpoint of another kind would be served without the credential.
    /// </summary>
    public IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. ((IEndpointRouteBuilder)App).DataSources.SelectMany(source => source.Endpoints).Select(endpoint => endpoint as RouteEndpoint
            ?? throw new InvalidOperationException($"{Service} maps '{endpoint.DisplayName}', which is not a route: it would be served without the cluster credential."))];

    /// <summary>Builds (without starting) the app of <paramref name="service"/> with the test key and a quiet log.</summary>
    public static WebApplication Build(string service, string url, string dataDir, IReadOnlyList<string> settings)
    {
        string[] common = ["--urls", url, $"--Cluster:Key={KeyText}", "--Logging:LogLevel:Default=Error", .. settings];
        return service switch
        {
            PublicRoutes.Catalog => CatalogApp.Build([$"--Catalog:DataDir={dataDir}", .. common]),
            PublicRoutes.Order => OrdersApp.Build([$"--Orders:DataDir={dataDir}", .. common]),
            PublicRoutes.FrontEnd => FrontEndApp.Build(common),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, "catalog, order or frontend"),
        };
    }

    /// <summary>Builds and starts the app; one that fails to start (its port taken, say) is disposed.</summary>
    public static async Task<ServiceHost> StartAsync(string service, string url, string dataDir, IReadOnlyList<string> settings)
    {
        var app = Build(service, url, dataDir, settings);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ServiceHost(service, app, new Uri(url));
    }

    /// <summary>A client that signs with the cluster key; the caller disposes it.</summary>
    public HttpClient SignedClient() =>
        new(new SigningHandler(Key, new SocketsHttpHandler())) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A client without any credential; the caller disposes it.</summary>
    public HttpClient UnsignedClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
