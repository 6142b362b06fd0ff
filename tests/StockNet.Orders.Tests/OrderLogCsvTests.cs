using StockNet.Contracts;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests;

public sealed class OrderLogCsvTests
{
    [Fact]
    public async Task ExportAsync_Log_WritesSeedCsvInNumberOrder()
    {
        using var dir = new TempDirectory();
        using (var log = OrderLog.Open(dir.File("log.db")))
        {
            log.Append(new OrderEntry(1, "MSFT", TradeType.Sell, 7, "b", 1));
            log.Append(new OrderEntry(0, "GOOG", TradeType.Buy, 3, "a", 1));
        }

        var rows = await OrderLogCsv.ExportAsync(dir.File("log.db"), dir.File("out/orders.csv"), TestContext.Current.CancellationToken);

        Assert.Equal(2, rows);
        var text = await File.ReadAllTextAsync(dir.File("out/orders.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("transaction_number,name,type,quantity\n0,GOOG,buy,3\n1,MSFT,sell,7\n", text);
    }

    [Fact]
    public async Task ExportAsync_MissingDatabase_Throws()
    {
        using var dir = new TempDirectory();

        await Assert.ThrowsAsync<FileNotFoundException>(
            () => OrderLogCsv.ExportAsync(dir.File("none.db"), dir.File("o.csv"), TestContext.Current.CancellationToken));
    }
}
