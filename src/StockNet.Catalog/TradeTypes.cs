using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>How the journal spells a trade type: the wire's lowercase words.</summary>
internal static class TradeTypes
{
    public static string ToText(TradeType type) => type == TradeType.Buy ? "buy" : "sell";

    public static TradeType FromText(string text) => text == "sell" ? TradeType.Sell : TradeType.Buy;
}
