using System.CommandLine;
using System.Globalization;
using StockNet.Contracts;
using StockNet.FrontEnd;

namespace StockNet.Cli.Commands;

/// <summary><c>stocknet frontend</c>: runs the public front-end.</summary>
internal static class FrontEndCommand
{
    public static Command Create()
    {
        var host = ServiceCommand.Host();
        var port = new Option<int>("--port") { Description = "The port to listen on.", DefaultValueFactory = _ => DefaultPorts.FrontEnd };
        var catalogUrl = new Option<string>("--catalog-url") { Description = "The catalog.", DefaultValueFactory = _ => DefaultPorts.Loopback(DefaultPorts.Catalog) };
        var orderUrls = new Option<string>("--order-urls") { Description = "The order replicas' base URLs, comma-separated; id = position + 1.", DefaultValueFactory = _ => ServiceCommand.DefaultReplicaUrls };
        var cache = ServiceCommand.Switch("--cache", "The lookup cache: on or off.");
        var cacheSize = new Option<int>("--cache-size") { Description = "Cache entries (LRU).", DefaultValueFactory = _ => 5 };
        var cacheTtl = ServiceCommand.Seconds("--cache-ttl", "Cache time-to-live in seconds, such as 5 or 0.5 (the service's default, 5, when absent).");
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("frontend", "Run the front-end. Extra --FrontEnd:Key=value, --Cache:Key=value arguments go to the service.", host, port, catalogUrl, orderUrls, cache, cacheSize, cacheTtl, parentPid);
        command.SetAction((parseResult, cancellationToken) =>
        {
            List<string> arguments =
            [
                "--urls", ServiceCommand.Urls(parseResult.GetRequiredValue(host), parseResult.GetValue(port)),
                ServiceCommand.Setting("FrontEnd:CatalogUrl", parseResult.GetRequiredValue(catalogUrl)),
                ServiceCommand.Setting("FrontEnd:OrderReplicas", parseResult.GetRequiredValue(orderUrls)),
                ServiceCommand.Setting("Cache:Enabled", ServiceCommand.Flag(parseResult.GetRequiredValue(cache))),
                ServiceCommand.Setting("Cache:Capacity", parseResult.GetValue(cacheSize).ToString(CultureInfo.InvariantCulture)),
            ];
            if (parseResult.GetValue(cacheTtl) is { } ttl)
            {
                arguments.Add(ServiceCommand.Setting("Cache:Ttl", TimeSpan.FromSeconds(ttl).ToString("c", CultureInfo.InvariantCulture)));
            }

            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, FrontEndApp.RunAsync, cancellationToken);
        });
        return command;
    }
}
