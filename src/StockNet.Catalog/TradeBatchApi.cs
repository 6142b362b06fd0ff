using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Catalog;

/// <summary>
/// <c>POST /trades</c>: the order leader's trades waiting for the catalog, in one request. Guarantee: each trade is decided
/// exactly as <c>POST /stocks/{name}</c> decides it (a repeated key answers the first result and trades nothing, a buy
/// never oversells, the journal row carries the key and the reserved number), all of them in one transaction, and the
/// reply holds one result per trade in order. A body that breaks the contract changes nothing (400); so does a failed
/// commit (503, for every trade of the batch).
/// </summary>
internal static class TradeBatchApi
{
    public static RouteGroupBuilder MapTradeBatchApi(this IEndpointRouteBuilder endpoints)
    {
        var trades = endpoints.MapGroup(Routes.Trades).WithTags("Journal");
        trades.MapPost("", TradeBatchAsync).WithName("TradeBatch").WithMetadata(new RequestSizeLimit(Limits.MaxTradeBatchBodyBytes));
        return trades;
    }

    private static async Task<Results<Ok<DataEnvelope<TradeResult[]>>, JsonHttpResult<ApiError>>> TradeBatchAsync(
        TradeBatch batch, CatalogStore store, CancellationToken cancellationToken)
    {
        if (Problem(batch.Data) is { } problem)
        {
            return ApiResults.BadRequest(problem);
        }

        var trades = Array.ConvertAll(batch.Data, trade => trade with { IdempotencyKey = RequestBody.IdempotencyKey(trade.IdempotencyKey) });
        try
        {
            var outcomes = await store.TradeBatchAsync(trades, cancellationToken);
            var results = new TradeResult[trades.Length];
            for (var i = 0; i < trades.Length; i++)
            {
                results[i] = ToResult(trades[i], outcomes[i]);
            }

            return TypedResults.Ok(new DataEnvelope<TradeResult[]>(results));
        }
        catch (SqliteException)
        {
            // The transaction rolled back, so nothing changed; the caller may send the trades again with the same keys.
            return ApiResults.Unavailable("The catalog could not store the trades; nothing was changed.");
        }
    }

    // Checked here, not by attributes, so that the sentence names the trade; the first problem refuses the whole batch.
    private static string? Problem(BatchedTrade[]? trades)
    {
        if (trades is not { Length: > 0 and <= Limits.MaxTradeBatch })
        {
            return $"The field 'data' must hold 1 to {Limits.MaxTradeBatch} trades.";
        }

        for (var i = 0; i < trades.Length; i++)
        {
            var problem = trades[i] switch
            {
                null => "is null",
                { Name: var name } when !StockNames.IsValid(name) => CatalogApi.InvalidNameMessage,
                { Quantity: < 1 or > Limits.MaxQuantity } => $"the field 'quantity' must be from 1 to {Limits.MaxQuantity}",
                { IdempotencyKey: var key } when !RequestBody.TryReadIdempotencyKey(key, out _) => RequestBody.IdempotencyKeyTooLong,
                { TransactionNumber: < 0 } => "the field 'transaction_number' must be 0 or more",
                _ => null,
            };
            if (problem is not null)
            {
                return $"Trade {i}: {problem}";
            }
        }

        return null;
    }

    private static TradeResult ToResult(BatchedTrade trade, TradeOutcome outcome) => outcome.Status switch
    {
        TradeStatus.Applied or TradeStatus.Replayed => new TradeResult(TradeResult.Executed, outcome.Quote, outcome.TransactionNumber),
        TradeStatus.KeyReused => new TradeResult(ErrorTypes.IdempotencyKeyReused, Message: CatalogApi.KeyReusedMessage),
        TradeStatus.InsufficientStock => new TradeResult(
            ErrorTypes.InsufficientStock, outcome.Quote, Message: CatalogApi.InsufficientStockMessage(trade.Name, trade.Quantity, outcome.Quote!)),
        _ => new TradeResult(ErrorTypes.UnknownStock, Message: CatalogApi.UnknownStockMessage(trade.Name)),
    };
}
