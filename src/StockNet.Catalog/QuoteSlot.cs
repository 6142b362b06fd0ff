using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>
/// The in-memory copy of one stock. Readers take the current immutable <see cref="StockQuote"/> without a lock;
/// the single writer swaps in a new one only after its SQLite transaction committed.
/// </summary>
internal sealed class QuoteSlot(StockQuote quote)
{
    private StockQuote _quote = quote;

    public StockQuote Quote
    {
        get => Volatile.Read(ref _quote);
        set => Volatile.Write(ref _quote, value);
    }
}
