using System.Net;
using System.Net.Mime;
using StockNet.Skeleton;

// The trade path's skeleton: the processes and hops of a Stock Net trade, with none of its features. It
// measures what this machine gives the design itself (see README.md); it is no part of Stock Net, so it references
// none of its projects and spells its own routes (the wire contract's are in src/StockNet.Contracts/Routes.cs).
//   stocknet-skeleton leaf   PORT [DB]                 POST /x: an optional SQLite insert and commit, then {"ok":1}
//   stocknet-skeleton leader PORT CATALOG F1 F2 [DB]   POST /orders: the catalog, its own commit, both followers at once
//   stocknet-skeleton front  PORT LEADER               POST /orders: sent on to the leader, its reply passed back
if (args.Length < 2 || !int.TryParse(args[1], out var port))
{
    Console.Error.WriteLine("usage: stocknet-skeleton leaf|leader|front PORT ...");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
var app = builder.Build();
using var hop = new Hop();
var ok = "{\"ok\":1}"u8.ToArray();
switch (args[0])
{
    case "leaf":
        using (var log = Log.OpenOrNull(args.ElementAtOrDefault(2)))
        {
            app.MapPost("/x", async (HttpRequest request) =>
            {
                log?.Append(await Hop.ReadBodyAsync(request));
                return Results.Bytes(ok, MediaTypeNames.Application.Json);
            });
            await app.RunAsync();
        }

        return 0;
    case "leader":
        using (var log = Log.OpenOrNull(args.ElementAtOrDefault(5)))
        {
            var (catalog, follower1, follower2) = (args[2] + "/x", args[3] + "/x", args[4] + "/x");
            app.MapPost("/orders", async (HttpRequest request) =>
            {
                var body = await Hop.ReadBodyAsync(request);
                await hop.PostAsync(catalog, body);
                log?.Append(body);
                await Task.WhenAll(hop.PostAsync(follower1, body), hop.PostAsync(follower2, body));
                return Results.Bytes(ok, MediaTypeNames.Application.Json);
            });
            await app.RunAsync();
        }

        return 0;
    case "front":
        var leader = args[2] + "/orders";
        app.MapPost("/orders", async (HttpRequest request) =>
            Results.Bytes(await hop.PostAsync(leader, await Hop.ReadBodyAsync(request)), MediaTypeNames.Application.Json));
        await app.RunAsync();
        return 0;
    default:
        Console.Error.WriteLine($"unknown role '{args[0]}'");
        return 2;
}
