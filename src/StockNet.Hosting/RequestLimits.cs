using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StockNet.Contracts;

namespace StockNet.Hosting;

/*
 * Kestrel refuses an oversize request line or header block itself, before any middleware runs, with a bare
 * status and no body. The services check tighter limits of their own first, so a realistic oversize request
 * (a long URL, a large token) gets the contract's JSON error; only a request past Kestrel's hard limits still
 * gets Kestrel's bare answer. docs/api.md lists both.
 */
public static class RequestLimits
{
    /// <summary>Kestrel's own request-line limit: past it, a bare 414.</summary>
    public const int HardMaxRequestLineBytes = 8 * 1024;

    /// <summary>Kestrel's own header limit: past it, a bare 431.</summary>
    public const int HardMaxHeaderBytes = 32 * 1024;

    /// <summary>Kestrel's own header count limit: past it, a bare 431.</summary>
    public const int HardMaxHeaderCount = 100;

    public static void ApplyTo(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestBodySize = Limits.MaxRequestBodyBytes;
        limits.MaxRequestLineSize = HardMaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = HardMaxHeaderBytes;
        limits.MaxRequestHeaderCount = HardMaxHeaderCount;

        // Slow clients (slowloris): headers within 10 s, bodies and replies at 240 bytes/s after a 5 s grace.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
    }

    /// <summary>The JSON error a request past the services' own limits gets, or null when it is within them.</summary>
    public static (int Status, string Message)? Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        if (target.Length > Limits.MaxRequestTargetLength)
        {
            return (StatusCodes.Status414UriTooLong, $"The URL is {target.Length} characters long; the limit is {Limits.MaxRequestTargetLength}.");
        }

        var headerBytes = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            headerBytes += name.Length + 4 + values.ToString().Length;
        }

        return headerBytes > Limits.MaxHeaderBytes
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request headers take {headerBytes} bytes; the limit is {Limits.MaxHeaderBytes}.")
            : null;
    }
}
