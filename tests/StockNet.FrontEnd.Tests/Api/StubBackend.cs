using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;

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

    /// <summary>An order with this key is answered 422 idempotency-key-reused, as a leader answers a reused key.</summary>
    public const string ReusedKey = "reused";

    /// <summary>An order with this key is answered 409 without a body.</summary>
    public const string BareConflictKey = "bare-409";

    public static async Task<StubBackend> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubBackend(app);
        app.MapGet(Routes.Stocks + "/{name}", (string name) => stub.Lookup(name));
        app.MapGet(Routes.Ping, () => Json(200, """{"status":"ok","replica_id":1,"leader_id":null,"epoch":0,"ready":true,"is_leader":false,"max_transaction":-1}"""));
        app.MapPost(Routes.SetLeader, () => Json(200, "{}"));
        app.MapGet(Routes.Stocks, () => Json(200, """{"data":[{"name":"GOOG","price":141.2,"quantity":100,"version":0},{"name":"APPL","price":189.5,"quantity":42,"version":3}]}"""));
        app.MapPost(Routes.Orders, (HttpRequest request) => request.Headers[Routes.IdempotencyKeyHeader].ToString() switch
        {
            ReusedKey => stub.Reply(422, """{"error":{"code":422,"message":"The key was used before for a different trade.","type":"idempotency-key-reused"}}"""),
            BareConflictKey => stub.Reply(409, string.Empty),
            _ => stub.Order("""{"data":{"transaction_number":0}}"""),
        });
        app.MapGet(Routes.Orders + "/{n}", (string n) => stub.Order(n == "0"
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

    private IResult Reply(int status, string json)
    {
        Interlocked.Increment(ref _orderRequests);
        return json.Length == 0 ? Results.StatusCode(status) : Json(status, json);
    }

    private static IResult Json(int status, string json) => Results.Text(json, MediaTypes.Json, statusCode: status);
}
