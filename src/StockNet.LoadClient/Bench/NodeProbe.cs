using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>Short, unretried requests to individual order replicas: who leads, readiness, what a replica holds.</summary>
public sealed class NodeProbe : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly ProtocolClients _clients;
    private readonly OrderReplicaClient _replicas;
    private readonly HealthClient _health;

    /// <summary>Replicas' logs are internal routes: the probe signs with the cluster's key.</summary>
    public NodeProbe(ClusterKey? key)
    {
        _clients = ProtocolClients.Create(signingKey: key);
        _replicas = _clients.OrderReplicas();
        _health = _clients.Health(Timeout);
    }

    public Task<PingReply?> PingAsync(Uri replica, CancellationToken cancellationToken) =>
        _replicas.PingAsync(replica.AbsoluteUri, Timeout, cancellationToken);

    public async Task<bool> IsReadyAsync(Uri node, CancellationToken cancellationToken) =>
        (await _health.CheckReadyAsync(node, cancellationToken)).IsReady;

    public Task<OrderEntry[]?> OrdersAfterAsync(Uri replica, long after, CancellationToken cancellationToken) =>
        _replicas.GetEntriesAfterAsync(replica.AbsoluteUri, after, Timeout, cancellationToken);

    public Task<long?> MaxTransactionAsync(Uri replica, CancellationToken cancellationToken) =>
        _replicas.GetMaxTransactionAsync(replica.AbsoluteUri, Timeout, cancellationToken);

    /// <summary>The id of the replica that says it leads; null when none does.</summary>
    public async Task<int?> FindLeaderAsync(LocalCluster cluster, int replicas, CancellationToken cancellationToken)
    {
        for (var id = replicas; id >= 1; id--)
        {
            var node = cluster.Replica(id);
            if (!node.HasExited && await PingAsync(node.BaseUrl, cancellationToken) is { IsLeader: true })
            {
                return id;
            }
        }

        return null;
    }

    public void Dispose() => _clients.Dispose();
}
