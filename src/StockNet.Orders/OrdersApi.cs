using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Orders;

/// <summary>The order endpoints: place an order (leader only) and look one up (any replica).</summary>
public static class OrdersApi
{
    /// <summary>Keys are stored with every entry and travel in replication batches, so they are kept short.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Orders).WithTags("Orders");
        group.MapPost("/", PlaceOrderAsync).WithName("PlaceOrder");
        group.MapGet("/{number}", GetOrder).WithName("GetOrder");
        return group;
    }

    // The body is read and validated by the framework before this runs (see TradeRequest and ErrorHandling).
    private static async Task<Results<Ok<DataEnvelope<OrderPlaced>>, JsonHttpResult<ApiError>>> PlaceOrderAsync(
        TradeRequest trade, HttpContext context, OrderBook book)
    {
        var key = RequestBody.IdempotencyKey(context.Request) ?? Guid.NewGuid().ToString("N");
        if (key.Length > MaxIdempotencyKeyLength)
        {
            return ApiResults.BadRequest($"The Idempotency-Key header must be at most {MaxIdempotencyKeyLength} characters.", ErrorTypes.BadRequest);
        }

        var result = await book.PlaceAsync(trade, key);
        if (result.IsPlaced)
        {
            return TypedResults.Ok(new DataEnvelope<OrderPlaced>(new OrderPlaced(result.TransactionNumber)));
        }

        if (result.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return ApiResults.Error(result.Status, result.Message, result.Type);
    }

    private static Results<Ok<DataEnvelope<OrderRecord>>, JsonHttpResult<ApiError>> GetOrder(string number, OrderLog log)
    {
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return ApiResults.BadRequest("The order number must be a non-negative integer.", ErrorTypes.BadRequest);
        }

        if (!log.TryGet(n, out var entry))
        {
            return ApiResults.NotFound($"No order {n}.", ErrorTypes.UnknownOrder);
        }

        return TypedResults.Ok(new DataEnvelope<OrderRecord>(new OrderRecord(entry.TransactionNumber, entry.Name, entry.Type, entry.Quantity)));
    }
}
