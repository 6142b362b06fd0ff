using System.Net;
using System.Net.Sockets;
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

    /// <summary>Every route the app maps, built anew on each read (a minimal-API data source makes its endpoints, request delegates and all, every time): read it once.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. ((IEndpointRouteBuilder)App).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()];

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768-60999 on Linux). A port the kernel hands out for port 0 comes
    /// from that range, and between this probe and the service's own bind any outgoing connection on the machine can take
    /// it as its source port: in CI the integration suite runs beside this one and makes them by the thousand, and a
    /// service then failed to start with "address already in use".
    /// </summary>
    public static string FreeUrl()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(LowestPort, EphemeralPortsStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return $"http://127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                // Taken by something listening there: draw another.
            }
        }

        throw new InvalidOperationException($"No free port between {LowestPort} and {EphemeralPortsStart} in 200 draws.");
    }

    private const int LowestPort = 20_000;
    private const int EphemeralPortsStart = 32_768;

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

    public static async Task<ServiceHost> StartAsync(string service, string url, string dataDir, IReadOnlyList<string> settings)
    {
        var app = Build(service, url, dataDir, settings);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ServiceHost(service, app, new Uri(url));
    }

    /// <summary>A client that signs with the cluster key; the caller disposes it.</summary>
    public HttpClient SignedClient() =>
        new(new SigningHandler(Key, new SocketsHttpHandler())) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A client without any credential; the caller disposes it.</summary>
    public HttpClient UnsignedClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
