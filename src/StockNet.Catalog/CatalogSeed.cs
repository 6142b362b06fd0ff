using System.Globalization;
using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>What a new store holds: the ten stocks of docs/api.md, or the rows of a CSV file.</summary>
internal static class CatalogSeed
{
    public const long DefaultQuantity = 100;

    public static IReadOnlyList<StockQuote> Defaults { get; } =
    [
        Stock("APPL", 189.50m),
        Stock("GOOG", 141.20m),
        Stock("MSFT", 378.90m),
        Stock("AMZN", 146.30m),
        Stock("TSLA", 238.40m),
        Stock("META", 327.10m),
        Stock("NFLX", 470.60m),
        Stock("NVDA", 467.70m),
        Stock("AMD", 118.20m),
        Stock("IBM", 155.30m),
    ];

    /// <summary>Reads <c>name,price,quantity</c> rows after a header row; any bad row fails the whole file.</summary>
    public static IReadOnlyList<StockQuote> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !IsHeader(lines[0]))
        {
            throw new InvalidDataException($"{path}: the first line must be the header 'name,price,quantity'.");
        }

        var stocks = new List<StockQuote>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var stock = ParseRow(lines[i]) ?? throw new InvalidDataException(
                $"{path}, line {i + 1}: expected 'name,price,quantity' with a valid name, a price >= 0 and a whole quantity >= 0.");
            if (!names.Add(stock.Name))
            {
                throw new InvalidDataException($"{path}, line {i + 1}: the stock '{stock.Name}' appears twice.");
            }

            stocks.Add(stock);
        }

        return stocks;
    }

    private static bool IsHeader(string line) =>
        string.Equals(line.Replace(" ", "", StringComparison.Ordinal).Trim(), "name,price,quantity", StringComparison.OrdinalIgnoreCase);

    private static StockQuote? ParseRow(string line)
    {
        var fields = line.Split(',', StringSplitOptions.TrimEntries);
        if (fields.Length != 3
            || !StockNames.IsValid(fields[0])
            || !decimal.TryParse(fields[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price < 0
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity))
        {
            return null;
        }

        return new StockQuote(fields[0], price, quantity, 0);
    }

    private static StockQuote Stock(string name, decimal price) => new(name, price, DefaultQuantity, 0);
}
