using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests.Infrastructure;

/// <summary>A tiny in-process front-end that records every <c>POST /invalidate/{name}</c> it receives.</summary>
internal sealed class StubFrontEnd : IAsyncDisposable
{
    private readonly Channel<(string RouteName, CacheInvalidated Body)> _received = Channel.CreateUnbounded<(string, CacheInvalidated)>();
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public ChannelReader<(string RouteName, CacheInvalidated Body)> Received => _received.Reader;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost(Routes.Invalidate + "/{name}", RecordAsync);
        await _app.StartAsync(cancellationToken);
        Url = _app.Urls.First();
    }

    /// <summary>The next invalidation received, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<(string RouteName, CacheInvalidated Body)> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await _received.Reader.ReadAsync(deadline.Token);
    }

    private async Task<IResult> RecordAsync(string name, HttpRequest request)
    {
        var body = await JsonSerializer.DeserializeAsync(request.Body, StockNetJsonContext.Default.CacheInvalidated);
        _received.Writer.TryWrite((name, body!));
        return Results.Json(new DataEnvelope<InvalidationAccepted>(new InvalidationAccepted(name)), StockNetJsonContext.Default.DataEnvelopeInvalidationAccepted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
