using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.Protocol;
using StockNet.FrontEnd.Orders;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;

namespace StockNet.FrontEnd;

/// <summary><c>POST /orders</c> and <c>GET /orders/{n}</c>: validated here, then forwarded to the order leader.</summary>
public static class OrderForwardingApi
{
    public static RouteGroupBuilder MapOrderForwardingApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Orders).WithTags("Orders");
        group.MapPost("/", PlaceOrderAsync).WithName("PlaceOrder").AllowAnonymous();
        group.MapGet("/{number}", GetOrderAsync).WithName("GetOrder").AllowAnonymous();
        return group;
    }

    // The body is read and validated by the framework before this runs (see TradeRequest and ErrorHandling).
    private static async Task<Results<JsonBytesResult, JsonHttpResult<ApiError>>> PlaceOrderAsync(
        TradeRequest trade, HttpContext context, OrderForwarder forwarder, QuoteLookup lookup, FrontEndTraffic traffic, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!RequestBody.TryReadIdempotencyKey(context.Request, out var key))
        {
            return ApiResults.BadRequest(RequestBody.IdempotencyKeyTooLong, ErrorTypes.BadRequest);
        }

        var reply = await forwarder.PlaceOrderAsync(trade, key ?? Guid.NewGuid().ToString("N"), cancellationToken);
        if (reply is null || reply.Status < StatusCodes.Status400BadRequest)
        {
            // The catalog's push may still be queued when the client reads again; dropping our copy now keeps
            // a lookup after this reply from seeing the quantity before the trade (or before a trade that may
            // have committed before the leader vanished).
            lookup.Invalidate(trade.Name, version: null);
        }

        if (reply is { Status: StatusCodes.Status200OK })
        {
            traffic.Trades.Record(started);
        }

        return PassThrough(context.Response, reply);
    }

    private static async Task<Results<JsonBytesResult, JsonHttpResult<ApiError>>> GetOrderAsync(
        string number, HttpContext context, OrderForwarder forwarder, CancellationToken cancellationToken)
    {
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return ApiResults.BadRequest("The order number must be a non-negative integer.", ErrorTypes.BadRequest);
        }

        var reply = await forwarder.GetOrderAsync(n, cancellationToken);
        return PassThrough(context.Response, reply);
    }

    private static Results<JsonBytesResult, JsonHttpResult<ApiError>> PassThrough(HttpResponse response, ReplicaReply? reply)
    {
        if (reply is null)
        {
            response.Headers.RetryAfter = "1";
            return ApiResults.Unavailable("No order leader is reachable; try again shortly.", ErrorTypes.NoLeader);
        }

        // A replica's error without a body still owes the client the contract's shape.
        return reply.Body.Length == 0 && reply.Status >= 400
            ? ApiResults.Error(reply.Status, "The order service refused the request.", ErrorTypes.ForStatus(reply.Status))
            : new JsonBytesResult(reply.Status, reply.Body);
    }
}
