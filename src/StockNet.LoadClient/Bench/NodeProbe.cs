using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.LoadClient.Bench;

/// <summary>Short, unretried requests to individual order replicas: who leads, readiness, what a replica holds.</summary>
public sealed class NodeProbe : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Replicas' logs are internal routes: the probe signs with the cluster's key.</summary>
    public NodeProbe(ClusterKey? key)
    {
        _http = new HttpClient(SigningHandler.Wrap(key, new SocketsHttpHandler { UseProxy = false })) { Timeout = TimeSpan.FromSeconds(2) };
    }

    public async Task<PingReply?> PingAsync(Uri replica, CancellationToken cancellationToken) =>
        await GetAsync(new Uri(replica, Routes.Ping), StockNetJsonContext.Default.PingReply, cancellationToken);

    public async Task<bool> IsReadyAsync(Uri node, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(node, Routes.HealthReady), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task<OrderEntry[]?> OrdersAfterAsync(Uri replica, long after, CancellationToken cancellationToken) =>
        (await GetAsync(new Uri(replica, Routes.MissingOrdersAfter(after)), StockNetJsonContext.Default.DataEnvelopeOrderEntryArray, cancellationToken))?.Data;

    public async Task<long?> MaxTransactionAsync(Uri replica, CancellationToken cancellationToken) =>
        (await GetAsync(new Uri(replica, Routes.MaxTransaction), StockNetJsonContext.Default.MaxTransactionReply, cancellationToken))?.MaxTransaction;

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

    public void Dispose() => _http.Dispose();

    private async Task<T?> GetAsync<T>(Uri uri, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
