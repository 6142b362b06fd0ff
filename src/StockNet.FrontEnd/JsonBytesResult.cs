using Microsoft.AspNetCore.Http;
using StockNet.Contracts;

namespace StockNet.FrontEnd;

/// <summary>
/// Writes JSON that is already UTF-8 bytes: a cached quote, or a replica's reply passed through unchanged.
/// Skips serialization on the hot path.
/// </summary>
public sealed class JsonBytesResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public JsonBytesResult(int statusCode, ReadOnlyMemory<byte> body)
    {
        StatusCode = statusCode;
        Body = body;
    }

    public int? StatusCode { get; }

    public string ContentType => MediaTypes.Json;

    public ReadOnlyMemory<byte> Body { get; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}
