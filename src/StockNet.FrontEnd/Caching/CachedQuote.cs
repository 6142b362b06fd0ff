using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Caching;

/// <summary>A quote with its reply body serialized once, so a cache hit only copies bytes.</summary>
public sealed class CachedQuote
{
    private CachedQuote(StockQuote quote, byte[] body) => (Quote, Body) = (quote, body);

    public StockQuote Quote { get; }

    /// <summary>The UTF-8 JSON of <c>{"data": quote}</c>.</summary>
    public byte[] Body { get; }

    public static CachedQuote Create(StockQuote quote) =>
        new(quote, JsonSerializer.SerializeToUtf8Bytes(new DataEnvelope<StockQuote>(quote), StockNetJsonContext.Default.DataEnvelopeStockQuote));
}
