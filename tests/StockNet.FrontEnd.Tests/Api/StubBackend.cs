using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StockNet.FrontEnd.Tests.Api;

/// <summary>A catalog and a single order replica (id 1) in one tiny app, counting what reaches them.</summary>
public sealed class StubBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stockLookups;
    private int _orderRequests;

    private StubBackend(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public int StockLookups => Volatile.Read(ref _stockLookups);

    public int OrderRequests => Volatile.Read(ref _orderRequests);

    /// <summary>The quantity the catalog reports for GOOG; a test changes it to simulate a trade.</summary>
    public int GoogQuantity { get; set; } = 100;

    public static async Task<StubBackend> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubBackend(app);
        app.MapGet("/stocks/{name}", (string name) => stub.Lookup(name));
        app.MapGet("/ping", () => Json(200, """{"status":"ok","replica_id":1,"leader_id":null,"epoch":0,"ready":true,"is_leader":false,"max_transaction":-1}"""));
        app.MapPost("/set_leader", () => Json(200, "{}"));
        app.MapPost("/orders", () => stub.Order("""{"data":{"transaction_number":0}}"""));
        app.MapGet("/orders/{n}", (string n) => stub.Order(n == "0"
            ? """{"data":{"number":0,"name":"GOOG","type":"buy","quantity":3}}"""
            : null));
        await app.StartAsync(cancellationToken);
        return stub;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Lookup(string name)
    {
        Interlocked.Increment(ref _stockLookups);
        return name == "GOOG"
            ? Json(200, $$$"""{"data":{"name":"GOOG","price":141.2,"quantity":{{{GoogQuantity}}}}}""")
            : Json(404, """{"error":{"code":404,"message":"No such stock."}}""");
    }

    private IResult Order(string? json)
    {
        Interlocked.Increment(ref _orderRequests);
        return json is null ? Json(404, """{"error":{"code":404,"message":"No such order."}}""") : Json(200, json);
    }

    private static IResult Json(int status, string json) => Results.Text(json, "application/json", statusCode: status);
}
