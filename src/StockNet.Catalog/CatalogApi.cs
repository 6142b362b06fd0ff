using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Catalog;

/// <summary><c>/stocks</c>: lookups served from memory, and trades applied by the <see cref="CatalogStore"/>.</summary>
internal static class CatalogApi
{
    public const string GetQuoteName = "GetQuote";

    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder endpoints)
    {
        var stocks = endpoints.MapGroup(Routes.Stocks).WithTags("Stocks");
        stocks.MapGet("", GetQuotes).WithName("GetQuotes");
        stocks.MapGet("/{name}", GetQuote).WithName(GetQuoteName).AllowAnonymous();
        stocks.MapPost("/{name}", TradeAsync).WithName("TradeStock");
        return stocks;
    }

    private static Ok<DataEnvelope<StockQuote[]>> GetQuotes(CatalogStore store) =>
        TypedResults.Ok(new DataEnvelope<StockQuote[]>(store.GetQuotes()));

    private static Results<Ok<DataEnvelope<StockQuote>>, JsonHttpResult<ApiError>> GetQuote(string name, CatalogStore store)
    {
        if (!StockNames.IsValid(name))
        {
            return InvalidName();
        }

        return store.TryGetQuote(name, out var quote)
            ? TypedResults.Ok(new DataEnvelope<StockQuote>(quote))
            : UnknownStock(name);
    }

    private static async Task<Results<Ok<DataEnvelope<StockQuote>>, JsonHttpResult<ApiError>>> TradeAsync(
        string name, CatalogTrade trade, HttpRequest request, CatalogStore store, CancellationToken cancellationToken)
    {
        // The body is read and validated by the framework before this runs (see CatalogTrade and ErrorHandling).
        if (!StockNames.IsValid(name))
        {
            return InvalidName();
        }

        if (!RequestBody.TryReadIdempotencyKey(request, out var idempotencyKey))
        {
            return ApiResults.BadRequest(RequestBody.IdempotencyKeyTooLong, ErrorTypes.BadRequest);
        }

        long? transactionNumber = long.TryParse(request.Headers[Routes.TransactionNumberHeader], out var number) && number >= 0 ? number : null;
        try
        {
            var outcome = await store.TradeAsync(name, trade, idempotencyKey, transactionNumber, cancellationToken);
            if (outcome.TransactionNumber is { } journaled)
            {
                request.HttpContext.Response.Headers[Routes.TransactionNumberHeader] = journaled.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return ToResult(name, trade, outcome);
        }
        catch (SqliteException)
        {
            // The transaction rolled back, so nothing changed; the caller may retry with the same key.
            return ApiResults.Unavailable("The catalog could not store the trade; nothing was changed.");
        }
    }

    private static Results<Ok<DataEnvelope<StockQuote>>, JsonHttpResult<ApiError>> ToResult(string name, CatalogTrade trade, TradeOutcome outcome) =>
        outcome.Status switch
        {
            TradeStatus.Applied or TradeStatus.Replayed => TypedResults.Ok(new DataEnvelope<StockQuote>(outcome.Quote!)),
            TradeStatus.KeyReused => ApiResults.Error(StatusCodes.Status422UnprocessableEntity, KeyReusedMessage, ErrorTypes.IdempotencyKeyReused),
            TradeStatus.InsufficientStock => ApiResults.BadRequest(InsufficientStockMessage(name, trade.Quantity, outcome.Quote!), ErrorTypes.InsufficientStock),
            _ => UnknownStock(name),
        };

    /// <summary>The refusals' sentences, which the batch route (<see cref="TradeBatchApi"/>) answers per trade too.</summary>
    internal static readonly string KeyReusedMessage =
        $"The {Routes.IdempotencyKeyHeader} was used before for a different trade; use a new key for a new trade.";

    internal static readonly string InvalidNameMessage = $"A stock name is {StockNames.Rule}.";

    internal static string InsufficientStockMessage(string name, int quantity, StockQuote current) =>
        $"Not enough stock to buy {quantity} of '{name}': {current.Quantity} available.";

    internal static string UnknownStockMessage(string name) => $"No stock named '{name}'.";

    private static JsonHttpResult<ApiError> InvalidName() => ApiResults.BadRequest(InvalidNameMessage, ErrorTypes.BadRequest);

    private static JsonHttpResult<ApiError> UnknownStock(string name) => ApiResults.NotFound(UnknownStockMessage(name), ErrorTypes.UnknownStock);
}
