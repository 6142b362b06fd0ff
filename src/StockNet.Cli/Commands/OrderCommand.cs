using System.CommandLine;
using System.Globalization;
using StockNet.Contracts;
using StockNet.Orders;

namespace StockNet.Cli.Commands;

/// <summary><c>stocknet order --id N</c>: runs order replica N.</summary>
internal static class OrderCommand
{
    public static Command Create()
    {
        var id = new Option<int>("--id") { Description = "This replica's id, 1..3; its position in --replicas.", Required = true };
        var host = ServiceCommand.Host();
        var port = new Option<int?>("--port") { Description = "The port to listen on (default 8997 + id)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where order_log_{id}.db lives, relative to the working directory (default data/order-{id}, where 'up' puts it)." };
        var catalogUrl = new Option<string>("--catalog-url") { Description = "The catalog.", DefaultValueFactory = _ => DefaultPorts.Loopback(DefaultPorts.Catalog) };
        var replicas = new Option<string>("--replicas") { Description = "Every replica's base URL, comma-separated; id = position + 1.", DefaultValueFactory = _ => ServiceCommand.DefaultReplicaUrls };
        var replication = new Option<string>("--replication") { Description = "sync: reply after the followers stored the order; async: fire and forget.", DefaultValueFactory = _ => "sync" }
            .AcceptOnlyFromAmong("sync", "async");
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("order", "Run one order replica. Extra --Orders:Key=value arguments go to the service.", id, host, port, dataDir, catalogUrl, replicas, replication, parentPid);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var replicaId = parseResult.GetValue(id);
            var idText = replicaId.ToString(CultureInfo.InvariantCulture);
            List<string> arguments =
            [
                "--urls", ServiceCommand.Urls(parseResult.GetRequiredValue(host), parseResult.GetValue(port) ?? DefaultPorts.OrderReplica(replicaId)),
                ServiceCommand.Setting("Orders:ReplicaId", idText),
                ServiceCommand.Setting("Orders:Replicas", parseResult.GetRequiredValue(replicas)),
                ServiceCommand.Setting("Orders:DataDir", parseResult.GetValue(dataDir) ?? Path.Combine("data", "order-" + idText)),
                ServiceCommand.Setting("Orders:CatalogUrl", parseResult.GetRequiredValue(catalogUrl)),
                ServiceCommand.Setting("Orders:ReplicationMode", parseResult.GetRequiredValue(replication) == "sync" ? "Sync" : "Async"),
            ];
            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, OrdersApp.RunAsync, cancellationToken);
        });
        return command;
    }
}
