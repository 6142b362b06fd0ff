using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Clients;
using StockNet.Hosting;

namespace StockNet.FrontEnd;

/// <summary><c>GET /stocks/{name}</c> through the LRU cache, and <c>GET /cache/stats</c>.</summary>
public static class StocksApi
{
    public const string CacheStatsPath = "/cache/stats";

    public static RouteGroupBuilder MapStocksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Stocks).WithTags("Stocks");
        group.MapGet("/{name}", LookupAsync).WithName("LookupStock");
        endpoints.MapGet(CacheStatsPath, GetStats).WithName("CacheStats").WithTags("Cache");
        return group;
    }

    private static async Task<Results<JsonBytesResult, JsonHttpResult<ApiError>>> LookupAsync(
        string name, HttpResponse response, QuoteLookup lookup, CancellationToken cancellationToken)
    {
        if (!StockNames.IsValid(name))
        {
            return InvalidName(name);
        }

        var result = await lookup.LookupAsync(name, cancellationToken);
        switch (result.Status)
        {
            case CatalogStatus.Found:
                response.Headers[Routes.CacheHeader] = result.Hit ? "HIT" : "MISS";
                return new JsonBytesResult(StatusCodes.Status200OK, result.Quote!.Body);
            case CatalogStatus.NotFound:
                return ApiResults.NotFound($"No stock is named '{name}'.", ErrorTypes.UnknownStock);
            default:
                return ApiResults.Unavailable("The catalog is unreachable; try again shortly.", ErrorTypes.CatalogUnavailable);
        }
    }

    private static JsonHttpResult<DataEnvelope<CacheStats>> GetStats(QuoteLookup lookup) =>
        TypedResults.Json(
            new DataEnvelope<CacheStats>(lookup.Cache.GetStats(lookup.Enabled)),
            FrontEndJsonContext.Default.DataEnvelopeCacheStats);

    internal static JsonHttpResult<ApiError> InvalidName(string name) =>
        ApiResults.BadRequest(
            $"'{(name.Length <= 32 ? name : name[..32] + "...")}' is not a valid stock name: use 1 to {StockNames.MaxLength} letters, digits, '-' or '_'.",
            ErrorTypes.BadRequest);
}
