using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StockNet.Contracts;

namespace StockNet.Hosting;

/// <summary>
/// The contract's error shape as a typed result, so handlers can name it in their result unions. Every error has a
/// type: the one given, else the one its status implies (<see cref="ErrorTypes.ForStatus"/>).
/// </summary>
public static class ApiResults
{
    public static JsonHttpResult<ApiError> Error(int status, string message, string? type = null) =>
        TypedResults.Json(Body(status, message, type), StockNetJson.Context.ApiError, statusCode: status);

    public static JsonHttpResult<ApiError> BadRequest(string message, string? type = null) =>
        Error(StatusCodes.Status400BadRequest, message, type);

    public static JsonHttpResult<ApiError> NotFound(string message, string? type = null) =>
        Error(StatusCodes.Status404NotFound, message, type);

    public static JsonHttpResult<ApiError> Unavailable(string message, string? type = null) =>
        Error(StatusCodes.Status503ServiceUnavailable, message, type);

    /// <summary>Writes the error shape straight to a response, for middleware that has no result pipeline.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            Body(status, message, type), StockNetJson.Context.ApiError, cancellationToken: context.RequestAborted);
    }

    private static ApiError Body(int status, string message, string? type) =>
        new(new ErrorBody(status, message, type ?? ErrorTypes.ForStatus(status)));
}
