using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StockNet.Contracts;

namespace StockNet.Hosting;

/// <summary>The contract's error shape as a typed result, so handlers can name it in their result unions.</summary>
public static class ApiResults
{
    public static JsonHttpResult<ApiError> Error(int status, string message, string? type = null) =>
        TypedResults.Json(new ApiError(new ErrorBody(status, message, type)), StockNetJsonContext.Default.ApiError, statusCode: status);

    public static JsonHttpResult<ApiError> BadRequest(string message, string? type = null) =>
        Error(StatusCodes.Status400BadRequest, message, type);

    public static JsonHttpResult<ApiError> NotFound(string message, string? type = null) =>
        Error(StatusCodes.Status404NotFound, message, type);

    public static JsonHttpResult<ApiError> Unavailable(string message, string? type = null) =>
        Error(StatusCodes.Status503ServiceUnavailable, message, type);

    /// <summary>Writes the error shape straight to a response, for middleware that has no result pipeline.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, string? type = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ApiError(new ErrorBody(status, message, type)), StockNetJsonContext.Default.ApiError, cancellationToken: context.RequestAborted);
    }
}
