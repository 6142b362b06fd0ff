using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Orders.Tests.Infrastructure;

/// <summary>One in-process order replica on a loopback port, with an HttpClient pointed at it.</summary>
internal sealed class ReplicaNode : IAsyncDisposable
{
    /// <summary>The cluster key of every test replica; <see cref="Client"/> signs with it.</summary>
    public const string KeyText = "order-tests-cluster-key";

    public static readonly ClusterKey Key = ClusterKey.Parse(KeyText);

    private readonly WebApplication _app;
    private int _disposed;

    private ReplicaNode(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient(new SigningHandler(Key, new SocketsHttpHandler())) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public OrderLog Log => _app.Services.GetRequiredService<OrderLog>();

    /// <summary>Starts replica <paramref name="id"/> of <paramref name="replicas"/> (whose URLs fix the ports).</summary>
    public static async Task<ReplicaNode> StartAsync(
        int id, IReadOnlyList<string> replicas, string dataDir, string catalogUrl, params string[] extra)
    {
        var url = replicas[id - 1];
        string[] args =
        [
            "--urls", url,
            $"--Orders:ReplicaId={id}",
            $"--Orders:Replicas={string.Join(',', replicas)}",
            $"--Orders:DataDir={dataDir}",
            $"--Orders:CatalogUrl={catalogUrl}",
            "--Orders:PeerTimeout=00:00:02",
            "--Orders:ResyncRetryInterval=00:00:00.100",
            $"--Cluster:Key={KeyText}",
            .. extra,
        ];
        var app = OrdersApp.Build(args);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ReplicaNode(app, url);
    }

    /// <summary>
    /// Starts replica 1 of one on a free port, on another when that one was taken before it was bound (<see cref="PortRace"/>).
    /// A test that names its replicas' ports before it starts them runs whole under <see cref="PortRace.RetryAsync(Func{Task}, int)"/> instead.
    /// </summary>
    public static Task<ReplicaNode> StartAloneAsync(string dataDir, string catalogUrl, params string[] extra) =>
        PortRace.RetryAsync(() => StartAsync(1, [FreePorts.LoopbackUrl()], dataDir, catalogUrl, extra));

    public async Task WaitReadyAsync() =>
        await Eventually.UntilAsync(async () => (await PingAsync()).Ready, $"replica {Url} ready");

    public async Task<PingReply> PingAsync() =>
        (await Client.GetFromJsonAsync(Routes.Ping, StockNetJsonContext.Default.PingReply, TestContext.Current.CancellationToken))!;

    public Task<HttpResponseMessage> SetLeaderAsync(string leaderUrl, long? epoch) =>
        PostJsonAsync(Routes.SetLeader, epoch is null ? $"{{\"leader_id\":\"{leaderUrl}\"}}" : $"{{\"leader_id\":\"{leaderUrl}\",\"epoch\":{epoch}}}");

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, MediaTypes.Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<long> PlaceAsync(string name, int quantity, string? key = null)
    {
        using var response = await PostJsonAsync(Routes.Orders, $"{{\"name\":\"{name}\",\"type\":\"buy\",\"quantity\":{quantity}}}", key);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /orders answered {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize(body, StockNetJsonContext.Default.DataEnvelopeOrderPlaced)!.Data.TransactionNumber;
    }

    /// <summary>Stops the replica; a test that stops one early may call this again at the end of its scope.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Client.Dispose();
        await _app.DisposeAsync();
    }
}
