using System.Net;
using System.Net.Sockets;
using System.Text;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests;

/// <summary>The public API's limits: per-client rates (by address, or a trusted proxy's forwarded one), and body sizes.</summary>
[Collection(SecurityCollection.Name)]
public sealed class LimitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublicRoute_ClientOverItsRate_429JsonWithRetryAfter_OtherClientsServed()
    {
        await using var frontEnd = await StartFrontEndAsync("--RateLimit:PermitsPerSecond=3", "--RateLimit:QueuedRequests=0");
        using var flooder = frontEnd.UnsignedClient();
        using var other = new HttpClient(FromAddress(IPAddress.Parse("127.0.0.3"))) { BaseAddress = frontEnd.BaseUrl };
        using var signed = frontEnd.SignedClient();

        // 3 a second: 30 requests in a row meet the limit unless they take ten seconds, however loaded the machine.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await flooder.GetAsync(StatsPath, Token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var (_, code, type) = await Requests.ReadErrorAsync(response);
                Assert.Equal((429, "rate-limited"), (code, type));
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            }
        }

        using var fromOther = await other.GetAsync(StatsPath, Token);
        using var fromCluster = await signed.GetAsync(StatsPath, Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(statuses.Count >= 4, "the first three fit the burst");
        Assert.Equal(HttpStatusCode.OK, fromOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromCluster.StatusCode);
    }

    [Fact]
    public async Task PublicRoute_ClientOverItsRate_WaitsItsTurnUntilTheQueueIsFull()
    {
        // One token a second, none spare, one place in the queue: of three requests at once, one is served from the
        // bucket, one waits for the next token and is served, and the one the queue cannot hold is refused.
        await using var frontEnd = await StartFrontEndAsync("--RateLimit:PermitsPerSecond=1", "--RateLimit:Burst=1", "--RateLimit:QueuedRequests=1");
        using var client = frontEnd.UnsignedClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync(StatsPath, Token)));
        var statuses = responses.Select(response => response.StatusCode).Order().ToList();
        Array.ForEach(responses, response => response.Dispose());

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task ForwardedFor_FromTrustedProxy_EachForwardedClientLimitedAlone()
    {
        await using var frontEnd = await StartFrontEndAsync("--RateLimit:PermitsPerSecond=1", "--RateLimit:QueuedRequests=0", "--RateLimit:TrustedProxies:0=127.0.0.1");
        using var proxy = frontEnd.UnsignedClient();

        var first = await ForwardedStatusAsync(proxy, "203.0.113.1");
        var again = await ForwardedStatusAsync(proxy, "203.0.113.1");
        var another = await ForwardedStatusAsync(proxy, "203.0.113.2");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (first, again, another));
    }

    [Fact]
    public async Task ForwardedFor_FromUntrustedSender_Ignored()
    {
        await using var frontEnd = await StartFrontEndAsync("--RateLimit:PermitsPerSecond=1", "--RateLimit:QueuedRequests=0");
        using var client = frontEnd.UnsignedClient();

        var first = await ForwardedStatusAsync(client, "203.0.113.1");
        var spoofed = await ForwardedStatusAsync(client, "203.0.113.2");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first, spoofed));
    }

    [Fact]
    public async Task Body_OverTheLimit_413Json_SignedOrNot()
    {
        await using var cluster = await TestCluster.StartAsync();
        var huge = "{\"name\":\"" + new string('A', 8 * 1024) + "\",\"type\":\"buy\",\"quantity\":1}";
        using var publicClient = cluster.FrontEnd.UnsignedClient();
        using var catalog = cluster.Catalog.SignedClient();

        using var order = await publicClient.PostAsync(Routes.Orders, new StringContent(huge, Encoding.UTF8, MediaTypes.Json), Token);
        using var trade = await catalog.PostAsync(Routes.Stock("GOOG"), new StringContent(huge, Encoding.UTF8, MediaTypes.Json), Token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 413), ((await Requests.ReadErrorAsync(order)).Status, (await Requests.ReadErrorAsync(order)).Code));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, 413), ((await Requests.ReadErrorAsync(trade)).Status, (await Requests.ReadErrorAsync(trade)).Code));
    }

    [Fact]
    public async Task ReplicationBatch_LargerThanTheDefaultLimit_ReadThroughTheSignatureCheck()
    {
        await using var cluster = await TestCluster.StartAsync();
        var follower = cluster.Replicas[0];
        using var http = follower.SignedClient();
        var entries = Enumerable.Range(1_000_000, 400)
            .Select(n => $"{{\"transaction_number\":{n},\"name\":\"GOOG\",\"type\":\"buy\",\"quantity\":1,\"idempotency_key\":\"{Guid.NewGuid():N}\",\"epoch\":0}}");
        var batch = "{\"data\":[" + string.Join(',', entries) + "]}";

        using var response = await http.PostAsync(Routes.ReplicateOrders, new StringContent(batch, Encoding.UTF8, MediaTypes.Json), Token);

        Assert.True(batch.Length > 16 * 1024);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private const string StatsPath = Routes.CacheStats;

    private static Task<ServiceHost> StartFrontEndAsync(params string[] settings) =>
        PortRace.RetryAsync(() =>
        {
            var closed = FreePorts.LoopbackUrl();
            return ServiceHost.StartAsync(PublicRoutes.FrontEnd, FreePorts.LoopbackUrl(), Path.GetTempPath(),
                [$"--FrontEnd:CatalogUrl={closed}", $"--FrontEnd:OrderReplicas={closed}", .. settings]);
        });

    private static async Task<HttpStatusCode> ForwardedStatusAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, StatsPath);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request, Token);
        return response.StatusCode;
    }

    /// <summary>A handler whose connections leave from <paramref name="local"/>: the whole 127.0.0.0/8 is this machine, so a second loopback address is a second client.</summary>
    public static SocketsHttpHandler FromAddress(IPAddress local) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
