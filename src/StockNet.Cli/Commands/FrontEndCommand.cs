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
        var port = ServiceCommand.Port("The port to listen on (default 9001).");
        var catalogUrl = new Option<string?>("--catalog-url") { Description = "The catalog (default http://127.0.0.1:8997)." };
        var orderUrls = new Option<string?>("--order-urls") { Description = "The order replicas' base URLs, comma-separated; id = position + 1 (default ports 8998..9000 on 127.0.0.1)." };
        var cache = ServiceCommand.Switch("--cache", "The lookup cache: on or off.");
        var cacheSize = new Option<int?>("--cache-size") { Description = "Cache entries, LRU (default 5)." };
        var cacheTtl = ServiceCommand.Seconds("--cache-ttl", "Cache time-to-live in seconds, such as 5 or 0.5 (the service's default, 5, when absent).");
        var parentPid = ServiceCommand.ParentPid();
        var command = ServiceCommand.Create("frontend", "Run the front-end. Extra --FrontEnd:Key=value, --Cache:Key=value arguments go to the service.", host, port, catalogUrl, orderUrls, cache, cacheSize, cacheTtl, parentPid);
        command.SetAction((parseResult, cancellationToken) =>
        {
            List<string> arguments = [];
            ServiceCommand.AddListen(arguments, parseResult, host, port, DefaultPorts.FrontEnd);
            ServiceCommand.AddSetting(arguments, parseResult, catalogUrl, "FrontEnd:CatalogUrl");
            ServiceCommand.AddSetting(arguments, parseResult, orderUrls, "FrontEnd:OrderReplicas");
            ServiceCommand.AddSetting(arguments, parseResult, cache, "Cache:Enabled", ServiceCommand.Flag);
            ServiceCommand.AddSetting(arguments, parseResult, cacheSize, "Cache:Capacity");
            if (parseResult.GetValue(cacheTtl) is { } ttl)
            {
                arguments.Add(ServiceCommand.Setting("Cache:Ttl", TimeSpan.FromSeconds(ttl).ToString("c", CultureInfo.InvariantCulture)));
            }

            return ServiceCommand.RunAsync(parseResult, parentPid, arguments, FrontEndApp.RunAsync, cancellationToken);
        });
        return command;
    }
}
