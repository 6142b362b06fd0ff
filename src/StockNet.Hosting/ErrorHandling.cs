using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StockNet.Hosting;

/// <summary>
/// Makes every failure speak the contract's JSON error: unmatched routes and methods, bodies Kestrel
/// refused, and (never expected) unhandled exceptions, which are logged and answered with a 500.
/// </summary>
public static class ErrorHandling
{
    public static WebApplication UseStockNetErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StockNet.Errors");
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is too large."
                    : "The request could not be read.";
                await ApiResults.WriteErrorAsync(context, ex.StatusCode, message);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is no one to answer.
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                ErrorLog.Unhandled(logger, ex, context.Request.Method, context.Request.Path);
                await ApiResults.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "An internal error occurred.");
            }
        });
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            var message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "No such resource.",
                StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this resource.",
                _ => "The request failed.",
            };
            await ApiResults.WriteErrorAsync(status.HttpContext, response.StatusCode, message);
        });
        return app;
    }
}

internal static partial class ErrorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
