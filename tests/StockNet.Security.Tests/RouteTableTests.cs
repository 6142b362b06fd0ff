using System.Net;
using StockNet.Contracts.Security;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests;

/// <summary>
/// Deny by default, checked on the route tables themselves: a route answers without the cluster credential exactly
/// when <see cref="PublicRoutes"/> lists it, and every other route of a running cluster refuses a request with no
/// credential, a wrong key, a stale or future time, or a replay of a request it accepted, with a 401 and the JSON error.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RouteTableTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RouteTables_EveryRoute_AnonymousExactlyWhenPublicListed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var routes = cluster.All.DistinctBy(host => host.Service).SelectMany(Requests.RoutesOf).ToList();

        var wrong = routes.Where(route => route.Anonymous != PublicRoutes.IsPublic(route.Service, route.Method, route.Pattern)).ToList();
        var missing = PublicRoutes.All.Where(listed => !routes.Any(route =>
            route.Service == listed.Service && route.Method == listed.Method && route.Pattern == listed.Pattern)).ToList();

        Assert.DoesNotContain(routes, route => route.Method == "*" && !route.ReadOnly);
        Assert.True(wrong.Count == 0, "Routes anonymous but not listed, or listed but protected: " + string.Join("; ", wrong));
        Assert.True(missing.Count == 0, "Listed in PublicRoutes but not mapped: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task InternalRoutes_NoWrongStaleOrReplayedCredential_401JsonError()
    {
        await using var cluster = await TestCluster.StartAsync();
        var wrongKey = ClusterKey.Parse("not-the-cluster-key-at-all");
        var checkedRoutes = new List<string>();
        foreach (var host in cluster.All.DistinctBy(host => host.Service))
        {
            using var http = host.UnsignedClient();
            foreach (var route in Requests.RoutesOf(host).Where(route => !route.Anonymous && !route.ReadOnly))
            {
                var url = new Uri(host.BaseUrl, Requests.SamplePath(route.Pattern));
                var method = new HttpMethod(route.Method);
                var body = route.Method == "GET" ? null : "{}";
                await AssertRefusedAsync(http, new HttpRequestMessage(method, url), route, "no credential");
                await AssertRefusedAsync(http, Requests.SignedRequest(wrongKey, method, url, body, DateTimeOffset.UtcNow, Guid.NewGuid()), route, "wrong key");
                await AssertRefusedAsync(http, Requests.SignedRequest(ServiceHost.Key, method, url, body, DateTimeOffset.UtcNow.AddSeconds(-10), Guid.NewGuid()), route, "stale");
                await AssertRefusedAsync(http, Requests.SignedRequest(ServiceHost.Key, method, url, body, DateTimeOffset.UtcNow.AddSeconds(10), Guid.NewGuid()), route, "future");
                await AssertReplayRefusedAsync(http, method, url, body, route);
                checkedRoutes.Add(route.ToString());
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine("Refused without a valid credential: " + string.Join(", ", checkedRoutes));
        Assert.Contains("catalog POST /stocks/{name}", checkedRoutes);
        Assert.Contains("order POST /set_leader", checkedRoutes);
        Assert.Contains("frontend POST /invalidate/{name}", checkedRoutes);
    }

    /// <summary>
    /// A signed request is let through once (whatever the route then answers to its sample body), and the same request
    /// sent again within the window is refused: an accepted signature is the credential, and it is good for one use.
    /// </summary>
    private static async Task AssertReplayRefusedAsync(HttpClient http, HttpMethod method, Uri url, string? body, RouteEntry route)
    {
        var (time, nonce) = (DateTimeOffset.UtcNow, Guid.NewGuid());
        using (var first = await http.SendAsync(Requests.SignedRequest(ServiceHost.Key, method, url, body, time, nonce), HttpCompletionOption.ResponseHeadersRead, Token))
        {
            Assert.True(first.StatusCode != HttpStatusCode.Unauthorized, $"{route} refused a valid signature: {(int)first.StatusCode}");
        }

        await AssertRefusedAsync(http, Requests.SignedRequest(ServiceHost.Key, method, url, body, time, nonce), route, "replayed");
    }

    private static async Task AssertRefusedAsync(HttpClient http, HttpRequestMessage request, RouteEntry route, string what)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, Token);
            var (status, code, type) = await Requests.ReadErrorAsync(response);
            Assert.True(status == HttpStatusCode.Unauthorized && code == 401 && type == "unauthorized", $"{route} with {what}: {(int)status} {code} {type}");
        }
    }
}
