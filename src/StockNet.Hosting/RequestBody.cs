using System.Buffers;
using Microsoft.AspNetCore.Http;
using StockNet.Contracts;

namespace StockNet.Hosting;

/// <summary>
/// Reads what a request carries: a whole body as bytes (Kestrel's body size limit turns an oversized one into a 413), and
/// an idempotency key.
/// </summary>
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

    /// <summary>The refusal of a key over <see cref="Limits.MaxIdempotencyKeyLength"/>, the same at every route that takes one.</summary>
    public static readonly string IdempotencyKeyTooLong =
        $"An {Routes.IdempotencyKeyHeader} is at most {Limits.MaxIdempotencyKeyLength} characters, not counting spaces around it.";

    /// <summary>The request's <c>Idempotency-Key</c> header, read and checked as <see cref="TryReadIdempotencyKey(string?, out string?)"/> does.</summary>
    public static bool TryReadIdempotencyKey(HttpRequest request, out string? key) =>
        TryReadIdempotencyKey(request.Headers[Routes.IdempotencyKeyHeader].ToString(), out key);

    /// <summary>
    /// Reads a key as sent (a header's value, a batched trade's field) and checks its length, so that every route refuses
    /// the same keys: the limit holds for the key that is stored, after trimming; false (refuse with
    /// <see cref="IdempotencyKeyTooLong"/>) when it is longer. The key is null when the client sent none.
    /// </summary>
    public static bool TryReadIdempotencyKey(string? value, out string? key)
    {
        key = IdempotencyKey(value);
        return key is not { Length: > Limits.MaxIdempotencyKeyLength };
    }

    /// <summary>A key as sent: blank is none, and surrounding spaces are not part of it.</summary>
    public static string? IdempotencyKey(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
