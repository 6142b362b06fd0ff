using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace StockNet.Hosting;

/// <summary>Reads a whole request body as bytes; Kestrel's body size limit turns an oversized one into a 413.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            // Ask for more without consuming, so the final read sees the whole body in one buffer.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>The request's idempotency key, or null when the client sent none.</summary>
    public static string? IdempotencyKey(HttpRequest request) =>
        IdempotencyKey(request.Headers[StockNet.Contracts.Routes.IdempotencyKeyHeader].ToString());

    /// <summary>A key as sent (a header's value, a batch item's field): blank is none, and surrounding spaces are not part of it.</summary>
    public static string? IdempotencyKey(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
