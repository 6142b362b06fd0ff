using Microsoft.Data.Sqlite;
using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>The statements of the write path, prepared once and reused by the single writer.</summary>
internal sealed partial class CatalogStore
{
    private SqliteCommand? _selectByKey;
    private SqliteCommand? _updateStock;
    private SqliteCommand? _insertTrade;

    private JournaledTrade? FindJournaled(SqliteTransaction transaction, string idempotencyKey)
    {
        var select = _selectByKey!;
        select.Transaction = transaction;
        select.Parameters["$key"].Value = idempotencyKey;
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        // The journal holds quantity and version; the price comes from memory, since trades never change it.
        var name = reader.GetString(0);
        var price = _quotes.TryGetValue(name, out var slot) ? slot.Quote.Price : 0m;
        return new JournaledTrade(
            new StockQuote(name, price, reader.GetInt64(1), reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            new CatalogTrade(TradeTypes.FromText(reader.GetString(4)), reader.GetInt32(5)));
    }

    private void WriteTrade(SqliteTransaction transaction, StockQuote next, CatalogTrade trade, string? idempotencyKey, long? transactionNumber)
    {
        var update = _updateStock!;
        update.Transaction = transaction;
        update.Parameters["$name"].Value = next.Name;
        update.Parameters["$quantity"].Value = next.Quantity;
        update.Parameters["$version"].Value = next.Version;
        update.ExecuteNonQuery();

        var insert = _insertTrade!;
        insert.Transaction = transaction;
        insert.Parameters["$key"].Value = (object?)idempotencyKey ?? DBNull.Value;
        insert.Parameters["$name"].Value = next.Name;
        insert.Parameters["$type"].Value = TradeTypes.ToText(trade.Type);
        insert.Parameters["$quantity"].Value = trade.Quantity;
        insert.Parameters["$quantity_after"].Value = next.Quantity;
        insert.Parameters["$version"].Value = next.Version;
        insert.Parameters["$transaction_number"].Value = (object?)transactionNumber ?? DBNull.Value;
        insert.ExecuteNonQuery();
    }

    private void InitializeWriteCommands(SqliteConnection connection)
    {
        _selectByKey = Prepared(connection, CatalogSchema.SelectTradeByKey, ("$key", SqliteType.Text));
        _updateStock = Prepared(
            connection, CatalogSchema.UpdateStock, ("$name", SqliteType.Text), ("$quantity", SqliteType.Integer), ("$version", SqliteType.Integer));
        _insertTrade = Prepared(
            connection,
            CatalogSchema.InsertTrade,
            ("$key", SqliteType.Text),
            ("$name", SqliteType.Text),
            ("$type", SqliteType.Text),
            ("$quantity", SqliteType.Integer),
            ("$quantity_after", SqliteType.Integer),
            ("$version", SqliteType.Integer),
            ("$transaction_number", SqliteType.Integer));
    }

    private static SqliteCommand Prepared(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = Command(connection, null, sql);
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        return command;
    }

    private void DisposeWriteCommands()
    {
        _selectByKey?.Dispose();
        _updateStock?.Dispose();
        _insertTrade?.Dispose();
    }
}
