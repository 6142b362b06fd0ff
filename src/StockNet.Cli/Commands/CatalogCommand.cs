using System.CommandLine;
using StockNet.Catalog;
using StockNet.Contracts;

namespace StockNet.Cli.Commands;

/// <summary><c>stocknet catalog</c>: runs the catalog service.</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var host = ServiceCommand.Host();
        var port = new Option<int>("--port") { Description = "The port to listen on.", DefaultValueFactory = _ => DefaultPorts.Catalog };
        var dataDir = new Option<string>("--data-dir") { Description = "Where catalog.db lives, relative to the working directory (data/catalog is where 'up' puts it).", DefaultValueFactory = _ => Path.Combine("data", "catalog") };
        var frontEndUrl = new Option<string>("--frontend-url") { Description = "Where cache invalidations go.", DefaultValueFactory = _ => DefaultPorts.Loopback(DefaultPorts.FrontEnd) };
        var cache = ServiceCommand.Switch("--cache", "Push invalidations to the front-end after each trade: on or off.");
        var catalogFile = new Option<string?>("--catalog-file") { Description = "A CSV (name,price,quantity) imported into a new store." };
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("catalog", "Run the catalog service. Extra --Catalog:Key=value arguments go to the service.", host, port, dataDir, frontEndUrl, cache, catalogFile, parentPid);
        command.SetAction((parseResult, cancellationToken) =>
        {
            List<string> arguments =
            [
                "--urls", ServiceCommand.Urls(parseResult.GetRequiredValue(host), parseResult.GetValue(port)),
                ServiceCommand.Setting("Catalog:DataDir", parseResult.GetRequiredValue(dataDir)),
                ServiceCommand.Setting("Catalog:FrontEndUrl", parseResult.GetRequiredValue(frontEndUrl)),
                ServiceCommand.Setting("Catalog:CacheEnabled", ServiceCommand.Flag(parseResult.GetRequiredValue(cache))),
            ];
            if (parseResult.GetValue(catalogFile) is { Length: > 0 } file)
            {
                arguments.Add(ServiceCommand.Setting("Catalog:CatalogFile", file));
            }

            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, CatalogApp.RunAsync, cancellationToken);
        });
        return command;
    }
}
