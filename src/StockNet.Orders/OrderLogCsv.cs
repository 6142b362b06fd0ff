using System.Globalization;
using System.Text;

namespace StockNet.Orders;

/// <summary>
/// Exports a replica's log as the seed's CSV: <c>transaction_number,name,type,quantity</c>, in number order,
/// one row per executed order. A number reserved for a trade that never executed (or still pending) is no
/// order, so it has no row, as <c>GET /orders/{n}</c> answers it with an error, not an order.
/// </summary>
public static class OrderLogCsv
{
    public const string Header = "transaction_number,name,type,quantity";

    /// <summary>Writes <paramref name="csvPath"/> from the log at <paramref name="databasePath"/> and returns the row count.</summary>
    public static async Task<int> ExportAsync(string databasePath, string csvPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"No order log at '{databasePath}'.", databasePath);
        }

        using var log = OrderLog.Open(databasePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(csvPath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var writer = new StreamWriter(csvPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        await writer.WriteLineAsync(Header.AsMemory(), cancellationToken);
        var rows = 0;
        foreach (var entry in log.ReadAfter(-1).Where(static entry => entry.IsExecuted))
        {
            // Stock names are letters, digits, '-' and '_' (StockNames.IsValid), so no CSV quoting is needed.
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{entry.TransactionNumber},{entry.Name},{LogConnection.TypeText(entry.Type)},{entry.Quantity}");
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            rows++;
        }

        return rows;
    }
}
