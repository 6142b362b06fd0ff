using Microsoft.Extensions.Logging;

namespace StockNet.Catalog;

internal sealed partial class CatalogStore
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Catalog store {Path} open with {StockCount} stocks (new store: {Created})")]
        public static partial void StoreOpened(ILogger logger, string path, int stockCount, bool created);
    }
}
