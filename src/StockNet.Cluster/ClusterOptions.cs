using StockNet.Contracts;

namespace StockNet.Cluster;

/// <summary>What <see cref="LocalCluster"/> does when a service exits without being asked to.</summary>
public enum RestartPolicy
{
    /// <summary>Leave it dead: benchmarks, chaos and tests kill nodes on purpose and restart them themselves.</summary>
    No,

    /// <summary>Restart it with backoff, as <c>stocknet up</c> does.</summary>
    OnFailure,
}

/// <summary>What <see cref="LocalCluster"/> starts: one catalog, <see cref="Replicas"/> order replicas and <see cref="FrontEnds"/> front-ends.</summary>
public sealed class ClusterOptions
{
    /// <summary>Every service listens on this address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>False: the contract's default ports (8997..9001). True: free ports found by binding port 0, as tests need.</summary>
    public bool UseFreePorts { get; init; }

    /// <summary>The data root <c>stocknet up</c> uses unless told otherwise, relative to the working directory.</summary>
    public const string DefaultDataRoot = "data";

    /// <summary>The catalog keeps its data under {root}/catalog, replica i under {root}/order-{i}.</summary>
    public string DataRoot { get; init; } = DefaultDataRoot;

    /// <summary>Wipe <see cref="DataRoot"/> before starting.</summary>
    public bool Fresh { get; init; }

    /// <summary>
    /// No cluster key: every service starts insecure (accepts unsigned requests, signs nothing). Only to measure what
    /// the credential costs (<c>stocknet bench --insecure</c>); never on a network.
    /// </summary>
    public bool Insecure { get; init; }

    public int Replicas { get; init; } = 3;

    /// <summary>How many front-ends (each its own cache and elector); the catalog pushes invalidations to all.</summary>
    public int FrontEnds { get; init; } = 1;

    /// <summary>Puts each node on a host of its own (network namespaces); null runs everything on <see cref="Host"/>.</summary>
    public INodePlacement? Placement { get; init; }

    public bool CacheEnabled { get; init; } = true;

    /// <summary>The front-end's LRU capacity; the contract's default is 5, smaller than the catalog.</summary>
    public int CacheCapacity { get; init; } = 5;

    /// <summary>The front-end's cache time-to-live; null leaves the service's default.</summary>
    public TimeSpan? CacheTtl { get; init; }

    public ReplicationMode Replication { get; init; } = ReplicationMode.Sync;

    /// <summary>Whether a service that exits without being asked to is restarted; only <c>stocknet up</c> asks for it.</summary>
    public RestartPolicy Restart { get; init; } = RestartPolicy.No;

    /// <summary>The delay before a restart; it doubles with each restart that did not last, up to 30 s.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long all services together may take to become ready; also how long a restarted one may take.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives every line the services write, prefixed with the service's name; null keeps them only in each service's ring.</summary>
    public Action<string>? LogSink { get; init; }

    /// <summary>Extra environment variables for every child.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra <c>--Section:Key=value</c> arguments per node name (catalog, order-1.., frontend).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ExtraArguments { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
