using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.FrontEnd.Caching;

/// <summary>
/// <c>POST /invalidate/{name}</c>, pushed by the catalog after a trade. The body (a <see cref="CacheInvalidated"/>)
/// is optional: a seed catalog sends none, and then the generation ticket alone guards against stale puts.
/// </summary>
public static class InvalidationApi
{
    public static RouteGroupBuilder MapInvalidationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Invalidate).WithTags("Cache");
        group.MapPost("/{name}", InvalidateAsync).WithName("InvalidateStock");
        return group;
    }

    private static async Task<Results<JsonHttpResult<DataEnvelope<InvalidationAccepted>>, JsonHttpResult<ApiError>>> InvalidateAsync(
        string name, HttpRequest request, QuoteLookup lookup, CancellationToken cancellationToken)
    {
        if (!StockNames.IsValid(name))
        {
            return StocksApi.InvalidName(name);
        }

        var body = await RequestBody.ReadAsync(request, cancellationToken);
        lookup.Invalidate(name, ReadVersion(body));
        return TypedResults.Json(
            new DataEnvelope<InvalidationAccepted>(new InvalidationAccepted(name)),
            StockNetJsonContext.Default.DataEnvelopeInvalidationAccepted);
    }

    // Invalidating is always safe, so a body we cannot read still invalidates, just without a version.
    private static long? ReadVersion(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, StockNetJsonContext.Default.CacheInvalidated)?.Version;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
