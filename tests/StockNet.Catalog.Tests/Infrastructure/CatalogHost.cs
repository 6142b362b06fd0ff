using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Catalog.Tests.Infrastructure;

/// <summary>The catalog service built by <see cref="CatalogApp.Build"/>, listening on a free loopback port.</summary>
internal sealed class CatalogHost : IAsyncDisposable
{
    /// <summary>The cluster key of every test catalog; <see cref="Client"/> signs with it.</summary>
    public const string KeyText = "catalog-tests-cluster-key";

    public static readonly ClusterKey Key = ClusterKey.Parse(KeyText);

    private readonly TempDirectory _directory;

    private CatalogHost(TempDirectory directory, WebApplication app, HttpClient client)
    {
        _directory = directory;
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<CatalogHost> StartAsync(
        CancellationToken cancellationToken, string? frontEndUrl = null, bool cacheEnabled = true, IReadOnlyList<string>? extra = null)
    {
        var directory = new TempDirectory();
        var app = CatalogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Catalog:DataDir={directory.Path}",
            $"--Catalog:FrontEndUrl={frontEndUrl ?? "http://127.0.0.1:9"}",
            $"--Catalog:CacheEnabled={cacheEnabled}",
            "--Logging:LogLevel:Default=Warning",
            $"--Cluster:Key={KeyText}",
            .. extra ?? [],
        ]);
        await app.StartAsync(cancellationToken);
        var client = new HttpClient(new SigningHandler(Key, new SocketsHttpHandler())) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(10) };
        return new CatalogHost(directory, app, client);
    }

    public Task<HttpResponseMessage> TradeAsync(string name, string body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Routes.Stock(name))
        {
            Content = new StringContent(body, Encoding.UTF8, MediaTypes.Json),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        }

        return Client.SendAsync(request, cancellationToken);
    }

    public async Task<StockQuote> GetQuoteAsync(string name, CancellationToken cancellationToken)
    {
        var envelope = await Client.GetFromJsonAsync(Routes.Stock(name), StockNetJsonContext.Default.DataEnvelopeStockQuote, cancellationToken);
        return envelope!.Data;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        _directory.Dispose();
    }
}
