using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.Protocol;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;

namespace StockNet.FrontEnd;

/// <summary>
/// <c>GET /stocks/{name}</c> through the LRU cache, <c>GET /stocks</c> (every stock, from the catalog: a listing
/// is for discovery, and caching it would add a second staleness rule), and <c>GET /cache/stats</c>.
/// </summary>
public static class StocksApi
{
    public static RouteGroupBuilder MapStocksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Stocks).WithTags("Stocks");
        group.MapGet("", ListAsync).WithName("ListStocks").AllowAnonymous();
        group.MapGet("/{name}", LookupAsync).WithName("LookupStock").AllowAnonymous();
        endpoints.MapGet(Routes.CacheStats, GetStats).WithName("CacheStats").WithTags("Cache").AllowAnonymous();
        return group;
    }

    private static async Task<Results<Ok<DataEnvelope<StockQuote[]>>, JsonHttpResult<ApiError>>> ListAsync(
        CatalogClient catalog, CancellationToken cancellationToken) =>
        await catalog.GetQuotesAsync(cancellationToken) is { } quotes
            ? TypedResults.Ok(new DataEnvelope<StockQuote[]>(quotes))
            : CatalogUnavailable();

    private static async Task<Results<JsonBytesResult, JsonHttpResult<ApiError>>> LookupAsync(
        string name, HttpResponse response, QuoteLookup lookup, FrontEndTraffic traffic, CancellationToken cancellationToken)
    {
        if (!StockNames.IsValid(name))
        {
            return InvalidName(name);
        }

        var started = Stopwatch.GetTimestamp();
        var result = await lookup.LookupAsync(name, cancellationToken);
        traffic.Lookups.Record(started);
        switch (result.Status)
        {
            case CatalogStatus.Found:
                response.Headers[Routes.CacheHeader] = result.Hit ? "HIT" : "MISS";
                return new JsonBytesResult(StatusCodes.Status200OK, result.Quote!.Body);
            case CatalogStatus.NotFound:
                return ApiResults.NotFound($"No stock is named '{name}'.", ErrorTypes.UnknownStock);
            default:
                return CatalogUnavailable();
        }
    }

    private static JsonHttpResult<DataEnvelope<CacheStats>> GetStats(QuoteLookup lookup) =>
        TypedResults.Json(
            new DataEnvelope<CacheStats>(lookup.Cache.GetStats(lookup.Enabled)),
            StockNetJsonContext.Default.DataEnvelopeCacheStats);

    private static JsonHttpResult<ApiError> CatalogUnavailable() =>
        ApiResults.Unavailable("The catalog is unreachable; try again shortly.", ErrorTypes.CatalogUnavailable);

    internal static JsonHttpResult<ApiError> InvalidName(string name) =>
        ApiResults.BadRequest(StockNames.Invalid(name), ErrorTypes.BadRequest);
}
