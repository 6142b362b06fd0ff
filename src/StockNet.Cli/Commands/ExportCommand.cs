using System.CommandLine;
using System.Globalization;
using StockNet.Cluster;
using StockNet.Orders;

namespace StockNet.Cli.Commands;

/// <summary><c>stocknet export</c>: writes a replica's order log as the design's <c>order_log_{id}.csv</c>.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var id = new Option<int?>("--id") { Description = "The replica's id; names the database and the default CSV." };
        var dataDir = new Option<string?>("--data-dir") { Description = "The replica's data directory (data/order-{id}), or the cluster's data root (data)." };
        var database = new Option<string?>("--db") { Description = "The replica's database file, instead of --id and --data-dir." };
        var output = new Option<string?>("--out") { Description = "The CSV to write (default: order_log_{id}.csv beside the database, in the replica's data directory)." };
        var command = new Command("export", "Export a replica's order log as CSV: transaction_number,name,type,quantity.") { id, dataDir, database, output };
        command.Validators.Add(result =>
        {
            if (result.GetValue(id) is null && result.GetValue(database) is null)
            {
                result.AddError("Give --id (with --data-dir) or --db.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var replicaId = parseResult.GetValue(id);
            var databasePath = parseResult.GetValue(database) ?? FindDatabase(replicaId!.Value, parseResult.GetValue(dataDir));
            var csvPath = parseResult.GetValue(output) ?? DefaultCsvPath(databasePath, replicaId);
            try
            {
                var rows = await OrderLogCsv.ExportAsync(databasePath, csvPath, cancellationToken);
                Console.WriteLine($"Wrote {rows} orders from {Path.GetFullPath(databasePath)} to {Path.GetFullPath(csvPath)}.");
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missing or unreadable database is a user error: one line, not a stack trace.
                await Console.Error.WriteLineAsync("Export failed: " + ex.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Accepts the replica's own directory or the cluster's root, where the replica's directory is order-{id}.</summary>
    private static string FindDatabase(int replicaId, string? dataDir)
    {
        var fileName = $"order_log_{Id(replicaId)}.db";
        var directory = dataDir ?? Path.Combine(ClusterOptions.DefaultDataRoot, "order-" + Id(replicaId));
        var direct = Path.Combine(directory, fileName);
        var underRoot = Path.Combine(directory, "order-" + Id(replicaId), fileName);
        return !File.Exists(direct) && File.Exists(underRoot) ? underRoot : direct;
    }

    /// <summary>Beside the database, not in the working directory: an export belongs with the log it came from.</summary>
    private static string DefaultCsvPath(string databasePath, int? replicaId) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? ".", $"order_log_{Id(replicaId)}.csv");

    private static string Id(int? replicaId) => replicaId?.ToString(CultureInfo.InvariantCulture) ?? "export";
}
