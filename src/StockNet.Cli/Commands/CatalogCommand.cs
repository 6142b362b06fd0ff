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
        var port = ServiceCommand.Port("The port to listen on (default 8997).");
        var dataDir = new Option<string?>("--data-dir") { Description = "Where catalog.db lives, relative to the working directory (default data/catalog, where 'up' puts it)." };
        var frontEndUrl = new Option<string?>("--frontend-url") { Description = "Where cache invalidations go (default http://127.0.0.1:9001)." };
        var cache = ServiceCommand.Switch("--cache", "Push invalidations to the front-end after each trade: on or off.");
        var catalogFile = new Option<string?>("--catalog-file") { Description = "A CSV (name,price,quantity) imported into a new store." };
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("catalog", "Run the catalog service. Extra --Catalog:Key=value arguments go to the service.", host, port, dataDir, frontEndUrl, cache, catalogFile, parentPid);
        command.SetAction((parseResult, cancellationToken) =>
        {
            List<string> arguments = [];
            ServiceCommand.AddListen(arguments, parseResult, host, port, DefaultPorts.Catalog);
            ServiceCommand.AddSetting(arguments, parseResult, dataDir, "Catalog:DataDir");
            ServiceCommand.AddSetting(arguments, parseResult, frontEndUrl, "Catalog:FrontEndUrl");
            ServiceCommand.AddSetting(arguments, parseResult, cache, "Catalog:CacheEnabled", ServiceCommand.Flag);
            ServiceCommand.AddSetting(arguments, parseResult, catalogFile, "Catalog:CatalogFile");
            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, CatalogApp.RunAsync, cancellationToken);
        });
        return command;
    }
}
