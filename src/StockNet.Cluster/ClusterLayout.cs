using System.Globalization;
using StockNet.Contracts;

namespace StockNet.Cluster;

/// <summary>One service of the cluster: its name, base URL (whose host it listens on) and data directory.</summary>
public sealed record ClusterNode(string Name, Uri BaseUrl, string DataDir, int Port)
{
    public string Host => BaseUrl.Host;
}

/// <summary>
/// Where each service of a local cluster listens and keeps its data, and the <c>stocknet</c> arguments that start it.
/// Node names: catalog, order-1..order-N, frontend (and frontend-2..frontend-M with several front-ends).
/// With a <see cref="ClusterOptions.Placement"/> every node listens on its own host at one fixed port.
/// </summary>
public sealed class ClusterLayout
{
    public const string CatalogName = "catalog";
    public const string FrontEndName = "frontend";

    private readonly ClusterOptions _options;

    private ClusterLayout(ClusterOptions options, ClusterNode catalog, IReadOnlyList<ClusterNode> replicas, IReadOnlyList<ClusterNode> frontEnds)
    {
        _options = options;
        Catalog = catalog;
        Replicas = replicas;
        FrontEnds = frontEnds;
    }

    public ClusterNode Catalog { get; }

    /// <summary>Replica i (1-based) is at index i-1.</summary>
    public IReadOnlyList<ClusterNode> Replicas { get; }

    /// <summary>The first front-end, the one a single-front-end cluster has.</summary>
    public ClusterNode FrontEnd => FrontEnds[0];

    /// <summary>Front-end i (1-based) is at index i-1; each has its own cache and elects as elector i.</summary>
    public IReadOnlyList<ClusterNode> FrontEnds { get; }

    public string DataRoot => Path.GetFullPath(_options.DataRoot);

    /// <summary>Every node in start order: catalog, replicas, front-ends.</summary>
    public IEnumerable<ClusterNode> Nodes => [Catalog, .. Replicas, .. FrontEnds];

    public static string ReplicaName(int replicaId) => "order-" + replicaId.ToString(CultureInfo.InvariantCulture);

    /// <summary>frontend for the first, frontend-2.. for the others, so a one-front-end cluster keeps its names.</summary>
    public static string FrontEndNameOf(int frontEndId) =>
        frontEndId == 1 ? FrontEndName : FrontEndName + "-" + frontEndId.ToString(CultureInfo.InvariantCulture);

    public static bool IsFrontEnd(string nodeName) => nodeName.StartsWith(FrontEndName, StringComparison.Ordinal);

    public static ClusterLayout Create(ClusterOptions options)
    {
        var replicaNames = Enumerable.Range(1, options.Replicas).Select(ReplicaName).ToList();
        var frontEndNames = Enumerable.Range(1, options.FrontEnds).Select(FrontEndNameOf).ToList();
        var ports = Ports(options);
        var root = Path.GetFullPath(options.DataRoot);
        ClusterNode Node(string name, int port)
        {
            var host = options.Placement?.HostFor(name) ?? options.Host;
            return new(name, new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}"), Path.Combine(root, name), port);
        }

        var replicas = replicaNames.Select((name, i) => Node(name, ports[1 + i])).ToList();
        var frontEnds = frontEndNames.Select((name, i) => Node(name, ports[1 + options.Replicas + i])).ToList();
        return new ClusterLayout(options, Node(CatalogName, ports[0]), replicas, frontEnds);
    }

    // Catalog, replicas, front-ends. Placed nodes each have a host of their own, so one port serves them all.
    private static List<int> Ports(ClusterOptions options)
    {
        var count = 1 + options.Replicas + options.FrontEnds;
        if (options.Placement is { } placement)
        {
            return [.. Enumerable.Repeat(placement.Port, count)];
        }

        if (options.UseFreePorts)
        {
            return [.. FreePorts.Take(options.Host, count)];
        }

        var extraFrontEnds = Enumerable.Range(1, options.FrontEnds - 1).Select(i => DefaultPorts.FrontEnd + i);
        return [DefaultPorts.Catalog, .. Enumerable.Range(1, options.Replicas).Select(DefaultPorts.OrderReplica), DefaultPorts.FrontEnd, .. extraFrontEnds];
    }

    /// <summary>The <c>stocknet</c> arguments that start <paramref name="node"/>, watching <paramref name="parentPid"/>.</summary>
    public IReadOnlyList<string> ArgumentsFor(ClusterNode node, int parentPid)
    {
        var arguments = node.Name switch
        {
            CatalogName => CatalogArguments(),
            _ when IsFrontEnd(node.Name) => FrontEndArguments(FrontEnds.ToList().IndexOf(node) + 1),
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
        "--host", Catalog.Host,
        "--port", Port(Catalog),
        "--data-dir", Catalog.DataDir,
        "--frontend-url", string.Join(',', FrontEnds.Select(Url)),
        "--cache", OnOff(_options.CacheEnabled),
    ];

    private List<string> ReplicaArguments(int replicaId)
    {
        var node = Replicas[replicaId - 1];
        return
        [
            "order",
            "--id", replicaId.ToString(CultureInfo.InvariantCulture),
            "--host", node.Host,
            "--port", Port(node),
            "--data-dir", node.DataDir,
            "--catalog-url", Url(Catalog),
            "--replicas", ReplicaUrls(),
            "--replication", _options.Replication == ReplicationMode.Sync ? "sync" : "async",
        ];
    }

    private List<string> FrontEndArguments(int frontEndId)
    {
        var node = FrontEnds[frontEndId - 1];
        List<string> arguments =
        [
            "frontend",
            "--host", node.Host,
            "--port", Port(node),
            "--catalog-url", Url(Catalog),
            "--order-urls", ReplicaUrls(),
            "--cache", OnOff(_options.CacheEnabled),
            "--cache-size", _options.CacheCapacity.ToString(CultureInfo.InvariantCulture),
        ];
        if (_options.CacheTtl is { } ttl)
        {
            arguments.AddRange(["--cache-ttl", ttl.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (FrontEnds.Count > 1)
        {
            // Each front-end elects only its own epochs, so two never crown different leaders at one epoch.
            arguments.Add("--LeaderElection:Electors=" + FrontEnds.Count.ToString(CultureInfo.InvariantCulture));
            arguments.Add("--LeaderElection:ElectorId=" + frontEndId.ToString(CultureInfo.InvariantCulture));
        }

        return arguments;
    }

    private string ReplicaUrls() => string.Join(',', Replicas.Select(Url));

    private static string Url(ClusterNode node) => node.BaseUrl.GetLeftPart(UriPartial.Authority);

    private static string Port(ClusterNode node) => node.Port.ToString(CultureInfo.InvariantCulture);

    private static string OnOff(bool value) => value ? "on" : "off";
}
