using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using StockNet.Catalog;
using StockNet.FrontEnd;
using StockNet.IntegrationTests.Infrastructure;
using StockNet.Orders;

namespace StockNet.IntegrationTests.Docs;

/// <summary>
/// docs/api.md lists exactly the routes each service maps: each service is built in-process (never started) and
/// its endpoint data sources are compared with the rows of its table, both ways, and each row says who may call it.
/// </summary>
public sealed partial class ApiDocTests
{
    private const string Doc = "docs/api.md";

    public static TheoryData<string> Services => ["Front-end", "Catalog", "Order replica"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task ApiDoc_RouteTable_MatchesTheServicesEndpoints(string service)
    {
        var documented = DocumentedRoutes(service);
        var mapped = await MappedRoutesAsync(service);

        var problems = new List<string>();
        foreach (var route in mapped.Except(documented.Keys).Order(StringComparer.Ordinal))
        {
            problems.Add($"{Doc} misses the {service}'s route {route}. Add this row to the table under '### {service}', "
                + $"with 'public' (clients call it) or 'internal' (only services and operators do):{Environment.NewLine}"
                + $"| `{route}` | internal | <status and body of a success> | <status and error type of each failure> |");
        }

        foreach (var route in documented.Keys.Except(mapped).Order(StringComparer.Ordinal))
        {
            problems.Add($"{Doc} lists {route} under '### {service}', but the {service} maps no such route: remove the row or fix its method and path.");
        }

        foreach (var (route, access) in documented.Where(row => row.Value is not ("public" or "internal")))
        {
            problems.Add($"{Doc}: the access of {route} under '### {service}' is '{access}'; write 'public' or 'internal'.");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    // Rows of the service's table: | `METHOD /path` | access | ... |, up to the next heading.
    internal static Dictionary<string, string> DocumentedRoutes(string service)
    {
        var lines = File.ReadAllLines(Path.Combine(BuildPaths.RepositoryRoot, Doc));
        var start = Array.FindIndex(lines, line => line.StartsWith($"### {service}", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{Doc} has no '### {service}' section.");
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(line => !line.StartsWith('#')))
        {
            if (RouteRow().Match(line) is { Success: true } row)
            {
                routes[row.Groups["route"].Value] = row.Groups["access"].Value;
            }
        }

        return routes;
    }

    // Every service refuses to start without a cluster key; the route table does not depend on which.
    private const string ClusterKeyArgument = "--Cluster:Key=api-doc-tests-cluster-key";

    private static async Task<HashSet<string>> MappedRoutesAsync(string service)
    {
        using var data = new TempData();
        var app = service switch
        {
            "Front-end" => FrontEndApp.Build(["--urls", "http://127.0.0.1:0", ClusterKeyArgument]),
            "Catalog" => CatalogApp.Build(["--urls", "http://127.0.0.1:0", ClusterKeyArgument, $"--Catalog:DataDir={data.Path}"]),
            _ => OrdersApp.Build(["--urls", "http://127.0.0.1:0", ClusterKeyArgument, "--Orders:ReplicaId=1", $"--Orders:DataDir={data.Path}"]),
        };
        await using (app)
        {
            return ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .SelectMany(Describe)
                .ToHashSet(StringComparer.Ordinal);
        }
    }

    // "GET /stocks/{name}"; a route without a method (the health checks) answers GET like any other.
    private static IEnumerable<string> Describe(RouteEndpoint endpoint)
    {
        var path = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).Trim('/');
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
        return methods.Select(method => $"{method} {path}");
    }

    [GeneratedRegex(@"^\|\s*`(?<route>[A-Z]+ /[^`]*)`\s*\|\s*(?<access>[^|]*?)\s*\|")]
    private static partial Regex RouteRow();

    private sealed class TempData : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("stocknet-apidoc-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
