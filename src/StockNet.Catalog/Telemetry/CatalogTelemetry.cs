using System.Diagnostics;
using System.Diagnostics.Metrics;
using StockNet.Contracts;

namespace StockNet.Catalog.Telemetry;

/// <summary>
/// The catalog's spans and counters. Static, like the runtime's own meters: they cost a flag check while
/// nothing listens, and the writer loop records them once per trade after its batch committed.
/// </summary>
internal static class CatalogTelemetry
{
    public const string Name = "StockNet.Catalog";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Trades = Meter.CreateCounter<long>(
        "stocknet.catalog.trades", "{trade}", "Trades decided by the catalog, by stock, type and outcome.");

    private static readonly Counter<long> Quantity = Meter.CreateCounter<long>(
        "stocknet.catalog.traded_quantity", "{share}", "Shares bought or sold, by stock and type.");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "stocknet.catalog.commit.trades", "{trade}", "Trades committed together in one SQLite transaction.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    public static void Record(string stock, TradeType type, TradeStatus status, int quantity)
    {
        if (!Trades.Enabled)
        {
            return;
        }

        var typeName = TradeTypes.ToText(type);
        Trades.Add(1, new("stocknet.stock", stock), new("stocknet.trade.type", typeName), new("stocknet.trade.outcome", Outcome(status)));
        if (status == TradeStatus.Applied)
        {
            Quantity.Add(quantity, new("stocknet.stock", stock), new("stocknet.trade.type", typeName));
        }
    }

    public static void RecordBatch(int trades) => BatchSize.Record(trades);

    private static string Outcome(TradeStatus status) => status switch
    {
        TradeStatus.Applied => "applied",
        TradeStatus.Replayed => "replayed",
        TradeStatus.InsufficientStock => "insufficient-stock",
        _ => "unknown-stock",
    };
}
