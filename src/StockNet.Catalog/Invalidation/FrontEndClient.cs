using System.Net.Http.Json;
using StockNet.Contracts;

namespace StockNet.Catalog.Invalidation;

/// <summary>The typed client for the front-end's <c>POST /invalidate/{name}</c>. It never retries by itself; the publisher decides.</summary>
internal sealed class FrontEndClient(HttpClient http)
{
    /// <summary>Sends one invalidation to the front-end at <paramref name="frontEnd"/>; returns the status it answered.</summary>
    public async Task<int> InvalidateAsync(Uri frontEnd, CacheInvalidated invalidation, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri(frontEnd, Routes.InvalidateStock(invalidation.Name)), invalidation, StockNetJsonContext.Default.CacheInvalidated, cancellationToken);
        return (int)response.StatusCode;
    }
}
