using Microsoft.AspNetCore.Builder;
using StockNet.Contracts.Security;

namespace StockNet.FrontEnd.Tests.Api;

/// <summary>The real front-end app in-process on a free loopback port, in front of a <see cref="StubBackend"/>.</summary>
public sealed class FrontEndHost : IAsyncLifetime
{
    /// <summary>The cluster key of every test front-end; the clients sign with it.</summary>
    public const string KeyText = "front-end-tests-cluster-key";

    public static readonly ClusterKey Key = ClusterKey.Parse(KeyText);

    private WebApplication? _app;

    public StubBackend Backend { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Backend = await StubBackend.StartAsync(TestContext.Current.CancellationToken);
        (_app, Client) = await StartAsync(Backend.Url, Backend.Url);
    }

    /// <summary>Starts a front-end with the given backends and extra configuration arguments.</summary>
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(string catalogUrl, string orderReplicas, params string[] extra)
    {
        var app = FrontEndApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--FrontEnd:CatalogUrl={catalogUrl}",
            $"--FrontEnd:OrderReplicas={orderReplicas}",
            "--Logging:LogLevel:Default=Warning",
            $"--Cluster:Key={KeyText}",
            .. extra,
        ]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, new HttpClient(new SigningHandler(Key, new SocketsHttpHandler())) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Backend.DisposeAsync();
    }
}
