using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Security.Tests.Infrastructure;

/// <summary>One route of a service: its method and pattern as the route table has them.</summary>
public sealed record RouteEntry(string Service, string Method, string Pattern, bool Anonymous, bool ReadOnly = false)
{
    public override string ToString() => $"{Service} {Method} {Pattern}";
}

/// <summary>Helpers to list routes, build requests by hand (signed with any key and time) and read the JSON error.</summary>
public static partial class Requests
{
    public static IEnumerable<RouteEntry> RoutesOf(ServiceHost host) =>
        host.Endpoints.SelectMany(endpoint =>
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            // Guarded by the read-only token's own policy instead of the cluster credential.
            var readOnly = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy == StockNet.Hosting.Telemetry.ReadOnlyAccess.Policy);
            return methods.Select(method => new RouteEntry(host.Service, method, endpoint.RoutePattern.RawText ?? "", anonymous, readOnly));
        });

    /// <summary>A concrete path for a pattern: a number where one is expected, a stock name elsewhere.</summary>
    public static string SamplePath(string pattern) =>
        Placeholder().Replace(pattern, match => match.Value.Contains("number", StringComparison.OrdinalIgnoreCase) ? "0" : "GOOG");

    /// <summary>A request signed with <paramref name="key"/> at <paramref name="time"/> and <paramref name="nonce"/>, as an attacker or a replay would send it.</summary>
    public static HttpRequestMessage SignedRequest(ClusterKey key, HttpMethod method, Uri url, string? body, DateTimeOffset time, Guid nonce)
    {
        var request = new HttpRequestMessage(method, url);
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(MediaTypes.Json) } };
        }

        var parameter = RequestSignature.Create(key, method.Method, url.PathAndQuery, SHA256.HashData(bytes), time.ToUnixTimeMilliseconds(), nonce);
        request.Headers.Authorization = new AuthenticationHeaderValue(RequestSignature.Scheme, parameter);
        return request;
    }

    /// <summary>The status, and the error body's code and type when the body is the contract's JSON error.</summary>
    public static async Task<(HttpStatusCode Status, int? Code, string? Type)> ReadErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            var error = json.RootElement.GetProperty("error");
            _ = error.GetProperty("message").GetString();
            return (response.StatusCode, error.GetProperty("code").GetInt32(), error.TryGetProperty("type", out var type) ? type.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (response.StatusCode, null, null);
        }
    }

    /// <summary>Whether <paramref name="path"/> (query ignored) fits <paramref name="pattern"/>, a placeholder taking one non-empty segment.</summary>
    public static bool Matches(string pattern, string path)
    {
        var patternSegments = pattern.Split('/');
        var pathSegments = path.Split('?')[0].Split('/');
        return patternSegments.Length == pathSegments.Length && patternSegments.Zip(pathSegments).All(pair =>
            pair.First.StartsWith('{') ? pair.Second.Length > 0 : string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
