using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>The read side of the trade journal. It runs on its own pooled connection; WAL lets it read beside the writer.</summary>
internal sealed partial class CatalogStore
{
    /// <summary>Up to <paramref name="limit"/> committed trades with a sequence above <paramref name="after"/>, in sequence order.</summary>
    public async Task<AppliedTrade[]> ReadJournalAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var select = Command(connection, null, CatalogSchema.SelectTradesAfter);
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var trades = new List<AppliedTrade>();
        while (await reader.ReadAsync(cancellationToken))
        {
            trades.Add(new AppliedTrade(
                Sequence: reader.GetInt64(0),
                IdempotencyKey: reader.IsDBNull(1) ? null : reader.GetString(1),
                Name: reader.GetString(2),
                Type: TradeTypes.FromText(reader.GetString(3)),
                Quantity: reader.GetInt32(4),
                QuantityAfter: reader.GetInt64(5),
                Version: reader.GetInt64(6),
                TransactionNumber: reader.IsDBNull(7) ? null : reader.GetInt64(7)));
        }

        return [.. trades];
    }
}
