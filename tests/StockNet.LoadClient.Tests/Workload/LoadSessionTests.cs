using StockNet.Contracts;
using StockNet.LoadClient.Workload;

namespace StockNet.LoadClient.Tests.Workload;

public sealed class LoadSessionTests
{
    [Theory]
    [InlineData(400, "insufficient-stock", TradeType.Buy, true)]
    [InlineData(400, null, TradeType.Buy, true)]
    [InlineData(400, "invalid-body", TradeType.Buy, false)]
    [InlineData(400, null, TradeType.Sell, false)]
    [InlineData(503, null, TradeType.Buy, false)]
    [InlineData(200, null, TradeType.Buy, false)]
    public void IsRefusedForStock_Reply_OnlyLackOfStockOnBuys(int status, string? errorType, TradeType type, bool expected)
    {
        Assert.Equal(expected, LoadSession.IsRefusedForStock(status, errorType, type));
    }
}
