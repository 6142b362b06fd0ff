using StockNet.Cluster;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>A cluster whose order replicas kill themselves after the catalog applied an order keyed "crash-…" (test hook).</summary>
public sealed class CrashHookCluster : StockNetCluster
{
    public const string CrashPrefix = "crash-";

    protected override ClusterOptions CreateOptions() =>
        ConsistencyClusters.WithEnvironment(base.CreateOptions(), "Orders__Testing__CrashAfterCatalogKeyPrefix", CrashPrefix);
}

/// <summary>A cluster whose catalog answers every <c>GET /stocks/{name}</c> late (test hook), below the front-end's catalog timeout.</summary>
public sealed class SlowLookupCluster : StockNetCluster
{
    public static readonly TimeSpan LookupDelay = TimeSpan.FromMilliseconds(600);

    protected override ClusterOptions CreateOptions() =>
        ConsistencyClusters.WithEnvironment(base.CreateOptions(), "Catalog__Testing__LookupDelay", LookupDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
}

internal static class ConsistencyClusters
{
    public static ClusterOptions WithEnvironment(ClusterOptions options, string name, string value) => new()
    {
        UseFreePorts = options.UseFreePorts,
        DataRoot = options.DataRoot,
        Fresh = options.Fresh,
        ReadyTimeout = options.ReadyTimeout,
        Environment = new Dictionary<string, string?>(options.Environment) { [name] = value },
    };
}
