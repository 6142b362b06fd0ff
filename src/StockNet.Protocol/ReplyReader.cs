using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>What every typed client shares: deadlines, and reading a body that may not be the contract's.</summary>
internal static class ReplyReader
{
    /// <summary>A token that fires at <paramref name="timeout"/> or with the caller's.</summary>
    public static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        return cts;
    }

    /// <summary>
    /// No answer from the peer: it is down, slow past the deadline, or answered something that is not JSON. The
    /// caller's own cancellation is not one of these: it propagates.
    /// </summary>
    public static bool IsNoAnswer(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or JsonException or NotSupportedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The absolute URL of <paramref name="path"/> on the server at <paramref name="baseUrl"/>.</summary>
    public static Uri Resolve(string baseUrl, string path) => new(baseUrl.TrimEnd('/') + path, UriKind.Absolute);

    /// <summary>A GET of <paramref name="url"/>: the reply's body, or null when the peer does not answer 2xx with it in time.</summary>
    public static async Task<T?> GetOrNullAsync<T>(
        HttpClient http, Uri url, JsonTypeInfo<T> typeInfo, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = Deadline(timeout, cancellationToken);
        try
        {
            using var response = await http.GetAsync(url, deadline.Token);
            return await ReadAsync(response, typeInfo, deadline.Token);
        }
        catch (Exception ex) when (IsNoAnswer(ex, cancellationToken))
        {
            return null;
        }
    }

    public static async Task<T?> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class =>
        response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken) : null;

    /// <summary>The contract's error body of a reply, or null when the body is not one.</summary>
    public static async Task<ErrorBody?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.ApiError, cancellationToken);
            return error?.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not JSON, or no or another content type.
            return null;
        }
    }

    /// <summary>The error's stable type from a body already read, or null when it is not a contract error.</summary>
    public static string? ErrorType(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, StockNetJsonContext.Default.ApiError)?.Error?.Type;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
