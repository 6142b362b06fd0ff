using StockNet.Cluster;
using StockNet.Cluster.Network;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Partitions;

/// <summary>
/// The catalog, three replicas and two front-ends, each on a host of its own (a network namespace), so links between
/// them can be cut. Where namespaces cannot be made (not root, no nftables) the cluster is not started and every
/// test skips with the reason.
/// </summary>
public sealed class HostsCluster : StockNetCluster
{
    private NetworkHosts? _network;

    /// <summary>Why the hosts could not be made; null when they were.</summary>
    public string? UnavailableReason { get; private set; }

    public NetworkHosts Network => _network ?? throw new InvalidOperationException("No hosts: " + UnavailableReason);

    /// <summary>Every node name: catalog, order-1..3, frontend, frontend-2.</summary>
    public static IReadOnlyList<string> NodeNames =>
        [ClusterLayout.CatalogName, .. Enumerable.Range(1, 3).Select(ClusterLayout.ReplicaName), ClusterLayout.FrontEndNameOf(1), ClusterLayout.FrontEndNameOf(2)];

    /// <summary>Skips the calling test when the hosts could not be made.</summary>
    public void SkipUnlessAvailable()
    {
        if (UnavailableReason is { } reason)
        {
            Assert.Skip("Network namespaces are not available here: " + reason);
        }
    }

    protected override async ValueTask<bool> PrepareAsync()
    {
        UnavailableReason = await NetworkHosts.UnavailableReasonAsync();
        if (UnavailableReason is not null)
        {
            return false;
        }

        _network = await NetworkHosts.CreateAsync(NodeNames);
        return true;
    }

    protected override async ValueTask CleanUpAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
    }

    protected override ClusterOptions CreateOptions() => new()
    {
        DataRoot = DataRoot,
        Fresh = true,
        ReadyTimeout = ReadyTimeout,
        FrontEnds = 2,
        Placement = _network,
    };
}
