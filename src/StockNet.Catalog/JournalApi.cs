using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Catalog;

/// <summary><c>GET /trades?after={seq}&amp;limit={n}</c>: the journal of committed trades, for reconciliation and verification.</summary>
internal static class JournalApi
{
    public const int DefaultLimit = 1000;

    public static RouteGroupBuilder MapJournalApi(this IEndpointRouteBuilder endpoints)
    {
        var trades = endpoints.MapGroup(Routes.Trades).WithTags("Journal");
        trades.MapGet("", ReadJournalAsync).WithName("ReadJournal");
        return trades;
    }

    // The query values are parsed here, not bound, so a bad one gets a clear sentence instead of a bare 400.
    private static async Task<Results<Ok<DataEnvelope<AppliedTrade[]>>, JsonHttpResult<ApiError>>> ReadJournalAsync(
        HttpRequest request, CatalogStore store, CancellationToken cancellationToken)
    {
        if (!TryReadNumber(request, "after", 0, out var after) || after < -1)
        {
            return ApiResults.BadRequest("The query value 'after' must be a whole number, -1 or more.");
        }

        if (!TryReadNumber(request, "limit", DefaultLimit, out var limit) || limit is < 1 or > Limits.MaxJournalPage)
        {
            return ApiResults.BadRequest($"The query value 'limit' must be a whole number from 1 to {Limits.MaxJournalPage}.");
        }

        var trades = await store.ReadJournalAsync(after, (int)limit, cancellationToken);
        return TypedResults.Ok(new DataEnvelope<AppliedTrade[]>(trades));
    }

    private static bool TryReadNumber(HttpRequest request, string key, long fallback, out long value)
    {
        var values = request.Query[key];
        if (values.Count == 0)
        {
            value = fallback;
            return true;
        }

        return long.TryParse(values[^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
