using System.Text.Json;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;

namespace StockNet.LoadClient.Tests.Infrastructure;

/// <summary>
/// A tiny in-process front-end on a free port with the three public endpoints, enough to drive the whole
/// client path. <see cref="Tamper"/> lets a test change or drop what the order query returns.
/// </summary>
internal sealed class StubFrontEnd : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, OrderRecord> _orders = new();
    private readonly ConcurrentDictionary<string, byte> _cached = new(StringComparer.Ordinal);
    private long _next = -1;

    private StubFrontEnd(WebApplication app) => _app = app;

    /// <summary>Maps a stored order to the reply; null answers 404.</summary>
    public Func<OrderRecord, OrderRecord?> Tamper { get; set; } = order => order;

    /// <summary>Buys of this stock are refused for lack of stock.</summary>
    public string? SoldOut { get; set; }

    public Uri BaseAddress => new(_app.Urls.First());

    public int OrderCount => _orders.Count;

    public static async Task<StubFrontEnd> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // The context's snake_case applies only with these options; inserted into the web defaults it would write camelCase.
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, StockNetJsonContext.Default);
        });
        var app = builder.Build();
        var stub = new StubFrontEnd(app);
        app.MapGet(Routes.Stocks + "/{name}", stub.Lookup);
        app.MapPost(Routes.Orders, stub.TradeAsync);
        app.MapGet(Routes.Orders + "/{number:long}", stub.Query);
        await app.StartAsync(cancellationToken);
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Ok<DataEnvelope<StockQuote>> Lookup(string name, HttpContext context)
    {
        context.Response.Headers[Routes.CacheHeader] = _cached.TryAdd(name, 0) ? "MISS" : "HIT";
        return TypedResults.Ok(new DataEnvelope<StockQuote>(new StockQuote(name, 10m, 100, 1)));
    }

    private async Task<Results<Ok<DataEnvelope<OrderPlaced>>, BadRequest<ApiError>>> TradeAsync(HttpRequest request)
    {
        TradeRequest? trade;
        try
        {
            trade = await JsonSerializer.DeserializeAsync(request.Body, StockNetJson.Context.TradeRequest);
        }
        catch (JsonException)
        {
            trade = null;
        }

        if (trade is null)
        {
            return TypedResults.BadRequest(new ApiError(new ErrorBody(400, "Not a trade.")));
        }

        if (trade.Type == TradeType.Buy && trade.Name == SoldOut)
        {
            return TypedResults.BadRequest(new ApiError(new ErrorBody(400, "Not enough stock.", "insufficient-stock")));
        }

        var number = Interlocked.Increment(ref _next);
        _orders[number] = new OrderRecord(number, trade.Name, trade.Type, trade.Quantity);
        return TypedResults.Ok(new DataEnvelope<OrderPlaced>(new OrderPlaced(number)));
    }

    private Results<Ok<DataEnvelope<OrderRecord>>, NotFound<ApiError>> Query(long number) =>
        _orders.TryGetValue(number, out var order) && Tamper(order) is { } reply
            ? TypedResults.Ok(new DataEnvelope<OrderRecord>(reply))
            : TypedResults.NotFound(new ApiError(new ErrorBody(404, "No such order.")));
}
