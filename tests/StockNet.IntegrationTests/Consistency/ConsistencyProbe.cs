using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Contracts;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Consistency;

/// <summary>Small HTTP helpers for the consistency tests: who leads, one order sent once, one lookup.</summary>
internal static class ConsistencyProbe
{
    /// <summary>The id of the replica that reports it leads, polling until one does.</summary>
    public static async Task<PingReply> LeaderAsync(StockNetCluster cluster, int[] replicas, CancellationToken cancellationToken) =>
        await Eventually.UntilAsync(
            async ct =>
            {
                foreach (var id in replicas)
                {
                    if (await ClusterChecks.PingAsync(cluster, id, ct) is { IsLeader: true } ping)
                    {
                        return ping;
                    }
                }

                return null;
            },
            ping => ping is not null,
            TimeSpan.FromSeconds(30),
            _ => "no replica reports it leads",
            cancellationToken) ?? throw new InvalidOperationException("No leader.");

    /// <summary>POST /orders once; the status and the error type or transaction number, or status 0 if the server did not answer.</summary>
    public static async Task<(int Status, string? Type, long? Number)> PlaceAsync(
        HttpClient http, string name, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Orders)
        {
            Content = new StringContent($"{{\"name\":\"{name}\",\"type\":\"buy\",\"quantity\":1}}", Encoding.UTF8, MediaTypes.Json),
        };
        request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return response.StatusCode == HttpStatusCode.OK
                ? (200, null, body.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64())
                : ((int)response.StatusCode, body.RootElement.GetProperty("error").TryGetProperty("type", out var type) ? type.GetString() : null, null);
        }
        catch (HttpRequestException)
        {
            return (0, null, null);
        }
    }

    /// <summary>GET /stocks/{name} through the front-end: status, cache header and quantity.</summary>
    public static async Task<(int Status, string? Cache, long Quantity)> LookupAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Routes.Stock(name), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return ((int)response.StatusCode, null, -1);
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var cache = response.Headers.TryGetValues(Routes.CacheHeader, out var values) ? values.Single() : null;
        return (200, cache, body.RootElement.GetProperty("data").GetProperty("quantity").GetInt64());
    }

    /// <summary>Every entry holding <paramref name="key"/> in a replica's log.</summary>
    public static async Task<OrderEntry[]> EntriesWithKeyAsync(StockNetCluster cluster, int replicaId, string key, CancellationToken cancellationToken) =>
        [.. (await ClusterChecks.ReadLogAsync(cluster, replicaId, cancellationToken) ?? []).Where(entry => entry.IdempotencyKey == key)];
}
