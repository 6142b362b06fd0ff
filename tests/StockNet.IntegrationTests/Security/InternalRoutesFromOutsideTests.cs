using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.IntegrationTests.Docs;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Security;

/// <summary>
/// Deny by default, checked from outside: a real <c>stocknet up</c>, and every route docs/api.md lists that is not on
/// the public list is asked over the network without the cluster credential, with a signature made with a wrong
/// key, and (one per service) with a valid signed request sent a second time. Each must be a 401 JSON error that
/// changes nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class InternalRoutesFromOutsideTests
{
    private static readonly ClusterKey WrongKey = ClusterKey.Parse("not-the-cluster-key-at-all");

    // docs/api.md's section, the service's name in PublicRoutes, its name in up's table, and a harmless route that
    // takes only the cluster credential (the read-only routes take a token instead) to replay.
    private static readonly (string Doc, string Service, string Process, string Method, string Replayed)[] Services =
    [
        ("Front-end", PublicRoutes.FrontEnd, "frontend", "POST", Routes.InvalidateStock("GOOG")),
        ("Catalog", PublicRoutes.Catalog, "catalog", "GET", Routes.Stocks),
        ("Order replica", PublicRoutes.Order, "order-1", "GET", Routes.MaxTransaction),
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact(Timeout = 240_000)]
    public async Task EveryInternalRoute_MissingWrongOrReplayedCredential_401AndNothingChanges()
    {
        await using var up = UpProcess.Start();
        await up.WaitForLineAsync(UpLine(), StockNetCluster.ReadyTimeout, Cancel);
        var urls = up.ReadyUrls();
        var key = ClusterKey.FromFile(Path.Combine(up.DataRoot, "cluster.key"));
        using var signed = new HttpClient(new SigningHandler(key, new SocketsHttpHandler())) { Timeout = TimeSpan.FromSeconds(10) };
        using var wrong = new HttpClient(new SigningHandler(WrongKey, new SocketsHttpHandler())) { Timeout = TimeSpan.FromSeconds(10) };
        using var bare = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var before = await StateAsync(signed, urls);

        var refused = new List<string>();
        var problems = new List<string>();
        foreach (var (doc, service, process, replayMethod, replayed) in Services)
        {
            foreach (var route in ProtectedRoutes(doc, service))
            {
                var (method, path) = Split(route);
                var url = new Uri(urls[process], Fill(path));
                await ExpectUnauthorizedAsync(bare, method, url, $"{process} {route} without a credential", problems);
                await ExpectUnauthorizedAsync(wrong, method, url, $"{process} {route} signed with a wrong key", problems);
                refused.Add($"{process} {route}");
            }

            await ExpectReplayRefusedAsync(bare, key, replayMethod, new Uri(urls[process], replayed), process, problems);
        }

        var after = await StateAsync(signed, urls);
        TestContext.Current.SendDiagnosticMessage($"Refused from outside: {string.Join("; ", refused)}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(refused.Count >= 10, $"only {refused.Count} internal routes found in docs/api.md");
        Assert.Equal(before, after);
    }

    // The documented routes that PublicRoutes does not open (paths compared without their trailing slash).
    private static IEnumerable<string> ProtectedRoutes(string doc, string service) => ApiDocTests.DocumentedRoutes(doc).Keys
        .Where(route => Split(route) is var (method, path)
            && !PublicRoutes.All.Any(open => open.Service == service && open.Method == method && open.Pattern.TrimEnd('/') == path.TrimEnd('/')))
        .Order(StringComparer.Ordinal);

    private static (string Method, string Path) Split(string route) => (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);

    private static string Fill(string path) => Parameter().Replace(path, match => match.Value == "{name}" ? "GOOG" : "0");

    private static async Task ExpectUnauthorizedAsync(HttpClient client, string method, Uri url, string what, List<string> problems)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", new MediaTypeHeaderValue(MediaTypes.Json));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var type = await ErrorTypeAsync(response);
        if (response.StatusCode != HttpStatusCode.Unauthorized || type != ErrorTypes.Unauthorized)
        {
            problems.Add($"{what}: {(int)response.StatusCode} {type ?? "(no JSON error)"}");
        }
    }

    // The same signed bytes twice: the first is served, the second is a replay.
    private static async Task ExpectReplayRefusedAsync(HttpClient bare, ClusterKey key, string method, Uri url, string process, List<string> problems)
    {
        var parameter = RequestSignature.Create(
            key, method, url.PathAndQuery, RequestSignature.EmptyBodyHash, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Guid.NewGuid());
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            request.Headers.Authorization = new AuthenticationHeaderValue(RequestSignature.Scheme, parameter);
            using var response = await bare.SendAsync(request, Cancel);
            statuses.Add(response.StatusCode);
        }

        if (statuses is not [HttpStatusCode.OK, HttpStatusCode.Unauthorized])
        {
            problems.Add($"{process} {method} {url.AbsolutePath} signed and sent twice: {string.Join(", ", statuses)} (expected OK, then Unauthorized)");
        }
    }

    private static async Task<string?> ErrorTypeAsync(HttpResponseMessage response)
    {
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
            return json.RootElement.GetProperty("error").GetProperty("type").GetString();
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    // Every stock's quantity and version, and every replica's highest order number.
    private static async Task<string> StateAsync(HttpClient signed, IReadOnlyDictionary<string, Uri> urls)
    {
        var stocks = await signed.GetStringAsync(new Uri(urls["catalog"], Routes.Stocks), Cancel);
        var heads = await Task.WhenAll(urls.Where(url => url.Key.StartsWith("order-", StringComparison.Ordinal)).OrderBy(url => url.Key, StringComparer.Ordinal)
            .Select(url => signed.GetStringAsync(new Uri(url.Value, Routes.MaxTransaction), Cancel)));
        return stocks + string.Join(",", heads);
    }

    [GeneratedRegex("^Stock Net is up")]
    private static partial Regex UpLine();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
