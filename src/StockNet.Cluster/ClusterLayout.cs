using System.Globalization;
using StockNet.Contracts;

namespace StockNet.Cluster;

/// <summary>One service of the cluster: its name, base URL and data directory.</summary>
public sealed record ClusterNode(string Name, Uri BaseUrl, string DataDir, int Port);

/// <summary>
/// Where each service of a local cluster listens and keeps its data, and the <c>stocknet</c> arguments that start it.
/// Node names: catalog, order-1..order-N, frontend.
/// </summary>
public sealed class ClusterLayout
{
    public const string CatalogName = "catalog";
    public const string FrontEndName = "frontend";

    private readonly ClusterOptions _options;

    private ClusterLayout(ClusterOptions options, ClusterNode catalog, IReadOnlyList<ClusterNode> replicas, ClusterNode frontEnd)
    {
        _options = options;
        Catalog = catalog;
        Replicas = replicas;
        FrontEnd = frontEnd;
    }

    public ClusterNode Catalog { get; }

    /// <summary>Replica i (1-based) is at index i-1.</summary>
    public IReadOnlyList<ClusterNode> Replicas { get; }

    public ClusterNode FrontEnd { get; }

    public string DataRoot => Path.GetFullPath(_options.DataRoot);

    /// <summary>Every node in start order: catalog, replicas, front-end.</summary>
    public IEnumerable<ClusterNode> Nodes => [Catalog, .. Replicas, FrontEnd];

    public static string ReplicaName(int replicaId) => "order-" + replicaId.ToString(CultureInfo.InvariantCulture);

    public static ClusterLayout Create(ClusterOptions options)
    {
        var ports = options.UseFreePorts
            ? FreePorts.Take(options.Host, options.Replicas + 2)
            : [DefaultPorts.Catalog, .. Enumerable.Range(1, options.Replicas).Select(DefaultPorts.OrderReplica), DefaultPorts.FrontEnd];
        var root = Path.GetFullPath(options.DataRoot);
        ClusterNode Node(string name, int port) =>
            new(name, new Uri($"http://{options.Host}:{port.ToString(CultureInfo.InvariantCulture)}"), Path.Combine(root, name), port);

        var replicas = Enumerable.Range(1, options.Replicas).Select(id => Node(ReplicaName(id), ports[id])).ToList();
        return new ClusterLayout(options, Node(CatalogName, ports[0]), replicas, Node(FrontEndName, ports[^1]));
    }

    /// <summary>The <c>stocknet</c> arguments that start <paramref name="node"/>, watching <paramref name="parentPid"/>.</summary>
    public IReadOnlyList<string> ArgumentsFor(ClusterNode node, int parentPid)
    {
        var arguments = node.Name switch
        {
            CatalogName => CatalogArguments(),
            FrontEndName => FrontEndArguments(),
            _ => ReplicaArguments(Replicas.ToList().IndexOf(node) + 1),
        };
        arguments.AddRange(["--parent-pid", parentPid.ToString(CultureInfo.InvariantCulture)]);
        if (_options.ExtraArguments.TryGetValue(node.Name, out var extra))
        {
            arguments.AddRange(extra);
        }

        return arguments;
    }

    private List<string> CatalogArguments() =>
    [
        "catalog",
        "--host", _options.Host,
        "--port", Port(Catalog),
        "--data-dir", Catalog.DataDir,
        "--frontend-url", Url(FrontEnd),
        "--cache", OnOff(_options.CacheEnabled),
    ];

    private List<string> ReplicaArguments(int replicaId)
    {
        var node = Replicas[replicaId - 1];
        return
        [
            "order",
            "--id", replicaId.ToString(CultureInfo.InvariantCulture),
            "--host", _options.Host,
            "--port", Port(node),
            "--data-dir", node.DataDir,
            "--catalog-url", Url(Catalog),
            "--replicas", ReplicaUrls(),
            "--replication", _options.Replication == ReplicationMode.Sync ? "sync" : "async",
        ];
    }

    private List<string> FrontEndArguments()
    {
        List<string> arguments =
        [
            "frontend",
            "--host", _options.Host,
            "--port", Port(FrontEnd),
            "--catalog-url", Url(Catalog),
            "--order-urls", ReplicaUrls(),
            "--cache", OnOff(_options.CacheEnabled),
            "--cache-size", _options.CacheCapacity.ToString(CultureInfo.InvariantCulture),
        ];
        if (_options.CacheTtl is { } ttl)
        {
            arguments.AddRange(["--cache-ttl", ttl.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        return arguments;
    }

    private string ReplicaUrls() => string.Join(',', Replicas.Select(Url));

    private static string Url(ClusterNode node) => node.BaseUrl.GetLeftPart(UriPartial.Authority);

    private static string Port(ClusterNode node) => node.Port.ToString(CultureInfo.InvariantCulture);

    private static string OnOff(bool value) => value ? "on" : "off";
}
