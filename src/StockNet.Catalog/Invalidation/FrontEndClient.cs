using System.Net.Http.Json;
using StockNet.Contracts;

namespace StockNet.Catalog.Invalidation;

/// <summary>The typed client for the front-end's <c>POST /invalidate/{name}</c>. It never retries by itself; the publisher decides.</summary>
internal sealed class FrontEndClient(HttpClient http)
{
    /// <summary>Sends one invalidation; returns the status the front-end answered.</summary>
    public async Task<int> InvalidateAsync(CacheInvalidated invalidation, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            Routes.InvalidateStock(invalidation.Name), invalidation, StockNetJsonContext.Default.CacheInvalidated, cancellationToken);
        return (int)response.StatusCode;
    }
}
