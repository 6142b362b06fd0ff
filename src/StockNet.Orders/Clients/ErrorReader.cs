using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.Orders.Clients;

/// <summary>Reads the contract's error body from a reply, or null when the body is not one.</summary>
internal static class ErrorReader
{
    public static async Task<ErrorBody?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.ApiError, cancellationToken);
            return error?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // No or a non-JSON content type.
            return null;
        }
    }
}
