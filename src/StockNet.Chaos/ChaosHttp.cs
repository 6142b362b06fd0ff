using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using StockNet.Contracts.Security;

namespace StockNet.Chaos;

/// <summary>
/// The one pooled keep-alive client of a run. A command-line tool has no host, so no IHttpClientFactory:
/// one SocketsHttpHandler serves every client and every check, with a short timeout and no retries of its own
/// (retries of POSTs are the load's decision, always with the same key).
/// </summary>
internal static class ChaosHttp
{
    /// <summary>Signed with <paramref name="key"/> when given: the checks read the replicas' logs and the catalog's journal, which are internal.</summary>
    public static HttpClient Create(TimeSpan timeout, ClusterKey? key) => new(SigningHandler.Wrap(key, new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = timeout,
        MaxConnectionsPerServer = 64,
    }))
    {
        Timeout = timeout,
    };

    /// <summary>GETs and reads a JSON body; null on any failure, since a probe of a faulty cluster may fail.</summary>
    public static async Task<T?> TryGetAsync<T>(HttpClient client, Uri url, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
