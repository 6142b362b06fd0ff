using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Orders.Placement;

namespace StockNet.Orders;

/// <summary>The order endpoints: place an order (leader only) and look one up (any replica).</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Orders).WithTags("Orders");
        group.MapPost("/", PlaceOrderAsync).WithName("PlaceOrder");
        group.MapGet("/{number}", GetOrder).WithName("GetOrder");
        return group;
    }

    // The body is read and validated by the framework before this runs (see TradeRequest and ErrorHandling).
    private static async Task<Results<Ok<DataEnvelope<OrderPlaced>>, JsonHttpResult<ApiError>>> PlaceOrderAsync(
        TradeRequest trade, HttpContext context, OrderPlacement placement)
    {
        if (!RequestBody.TryReadIdempotencyKey(context.Request, out var key))
        {
            return ApiResults.BadRequest(RequestBody.IdempotencyKeyTooLong, ErrorTypes.BadRequest);
        }

        var outcome = await placement.PlaceAsync(trade, key ?? Guid.NewGuid().ToString("N"));
        if (outcome.Kind == PlacementKind.Placed)
        {
            return TypedResults.Ok(new DataEnvelope<OrderPlaced>(new OrderPlaced(outcome.TransactionNumber)));
        }

        var (status, message, type) = Describe(outcome);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return ApiResults.Error(status, message, type);
    }

    /// <summary>The one place a placement's outcome becomes an HTTP status, message and error type.</summary>
    private static (int Status, string Message, string? Type) Describe(PlacementOutcome outcome) => outcome.Kind switch
    {
        PlacementKind.NotLeader => (StatusCodes.Status403Forbidden, "This replica is not the order leader.", ErrorTypes.NotLeader),
        PlacementKind.Recovering => (StatusCodes.Status503ServiceUnavailable,
            "This replica is becoming the leader and is still recovering; retry shortly.", ErrorTypes.Recovering),
        PlacementKind.Replaced => (StatusCodes.Status503ServiceUnavailable,
            "This replica is no longer the order leader; retry on the new leader.", ErrorTypes.NotLeader),
        PlacementKind.NoQuorum => (StatusCodes.Status503ServiceUnavailable,
            "This leader could not store the order on a majority of the replicas and stepped down; the trade may have executed, "
            + "so retry with the same Idempotency-Key on the new leader.", ErrorTypes.NoQuorum),
        PlacementKind.Refused => (StatusCodes.Status400BadRequest, outcome.Message ?? "The catalog refused the trade.", outcome.Type),
        PlacementKind.UnknownStock => (StatusCodes.Status404NotFound, outcome.Message ?? "Unknown stock.", outcome.Type),
        PlacementKind.KeyReused => (StatusCodes.Status422UnprocessableEntity,
            "This Idempotency-Key was already used for an order with another stock, type or quantity.", ErrorTypes.IdempotencyKeyReused),
        _ => (StatusCodes.Status503ServiceUnavailable, "The catalog is unavailable.", ErrorTypes.CatalogUnavailable),
    };

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

        return entry.State switch
        {
            OrderState.NotExecuted => ApiResults.Error(
                StatusCodes.Status410Gone, $"Number {n} was reserved for a trade that never executed: it is no order.", ErrorTypes.OrderNotExecuted),
            OrderState.Pending => ApiResults.Error(
                StatusCodes.Status404NotFound, $"Order {n} is not confirmed yet.", ErrorTypes.OrderPending),
            _ => TypedResults.Ok(new DataEnvelope<OrderRecord>(new OrderRecord(entry.TransactionNumber, entry.Name, entry.Type, entry.Quantity))),
        };
    }
}
