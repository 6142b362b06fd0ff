using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;

namespace StockNet.Hosting;

/// <summary>
/// Makes every failure speak the contract's JSON error: requests past the services' size limits, bodies the
/// framework could not read, unmatched routes and methods, any other answer without a body, and (never expected)
/// unhandled exceptions, which are logged and answered with a 500.
/// </summary>
public static class ErrorHandling
{
    public static WebApplication UseStockNetErrors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StockNet.Errors");
        app.Use(async (context, next) =>
        {
            if (RequestLimits.Check(context) is { } refused)
            {
                await ApiResults.WriteErrorAsync(context, refused.Status, refused.Message);
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await ApiResults.WriteErrorAsync(context, ex.StatusCode, BodyErrors.Describe(ex, context));
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
        app.UseStatusCodePages(status =>
        {
            var http = status.HttpContext;
            var code = http.Response.StatusCode;
            return ApiResults.WriteErrorAsync(http, code, code == StatusCodes.Status413PayloadTooLarge ? BodyErrors.TooLarge(http) : DefaultMessage(code));
        });
        return app;
    }

    internal static string DefaultMessage(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such resource.",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this resource.",
        StatusCodes.Status415UnsupportedMediaType => $"Send the body as JSON, with Content-Type: {MediaTypes.Json}.",
        _ => "The request failed.",
    };
}

internal static partial class ErrorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
