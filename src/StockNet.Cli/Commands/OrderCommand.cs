using System.CommandLine;
using StockNet.Contracts;
using StockNet.Orders;

namespace StockNet.Cli.Commands;

/// <summary><c>stocknet order --id N</c>: runs order replica N.</summary>
internal static class OrderCommand
{
    public static Command Create()
    {
        var id = new Option<int?>("--id") { Description = "This replica's id, 1..3; its position in --replicas (or the seed's REPLICA_ID)." };
        var host = ServiceCommand.Host();
        var port = ServiceCommand.Port("The port to listen on (default 8997 + id with --host; without either, ORDER_PORT or this replica's port in --replicas).");
        var dataDir = new Option<string?>("--data-dir") { Description = "Where order_log_{id}.db lives, relative to the working directory (default data/order-{id}, where 'up' puts it)." };
        var catalogUrl = new Option<string?>("--catalog-url") { Description = "The catalog (default http://127.0.0.1:8997)." };
        var replicas = new Option<string?>("--replicas") { Description = "Every replica's base URL, comma-separated; id = position + 1 (default ports 8998..9000 on 127.0.0.1)." };
        var replication = new Option<string?>("--replication") { Description = "sync: reply after the followers stored the order; async: fire and forget (default sync)." }
            .AcceptOnlyFromAmong("sync", "async");
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("order", "Run one order replica. Extra --Orders:Key=value arguments go to the service.", id, host, port, dataDir, catalogUrl, replicas, replication, parentPid);
        command.Validators.Add(result =>
        {
            // The id may come from the environment (a container's REPLICA_ID); with neither, say so before starting.
            if (result.GetValue(id) is null && !HasVariable("REPLICA_ID") && !HasVariable("Orders__ReplicaId"))
            {
                result.AddError("Give this replica's id: --id N (or the REPLICA_ID variable).");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            List<string> arguments = [];
            ServiceCommand.AddListen(arguments, parseResult, host, port, DefaultPorts.OrderReplica(parseResult.GetValue(id) ?? 1));
            ServiceCommand.AddSetting(arguments, parseResult, id, "Orders:ReplicaId");
            ServiceCommand.AddSetting(arguments, parseResult, replicas, "Orders:Replicas");
            ServiceCommand.AddSetting(arguments, parseResult, dataDir, "Orders:DataDir");
            ServiceCommand.AddSetting(arguments, parseResult, catalogUrl, "Orders:CatalogUrl");
            ServiceCommand.AddSetting(arguments, parseResult, replication, "Orders:ReplicationMode", mode => mode == "sync" ? "Sync" : "Async");
            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, OrdersApp.RunAsync, cancellationToken);
        });
        return command;
    }

    private static bool HasVariable(string name) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name));
}
