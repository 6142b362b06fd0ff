using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using StockNet.Contracts.Security;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests.Fuzzing;

/// <summary>One answered request: its traced key, its place in the run's sending order, what it sent and what came back.</summary>
public sealed record AnsweredCase(string Key, int Sent, FuzzRequest Request, int Status, string Reply)
{
    /// <summary>For failure messages: the case and its answer, the body with its real key.</summary>
    public override string ToString() =>
        $"case {Sent}: {Request with { Body = Request.Body?.Replace(FuzzRequest.KeyMarker, Key, StringComparison.Ordinal) }} answered {Status}: {FuzzRun.Cut(Reply)}";
}

/// <summary>
/// Sends generated requests to one service and checks each answer as it comes: without the credential every answer
/// must be a 4xx with the JSON error; with it, never a 5xx except a 503 where the API documents one. It keeps the
/// keys of accepted and refused requests for the state checks, and counts answers by status. Past its time budget it
/// sends nothing more and counts the cases it skipped, so a starved machine shortens the run instead of timing the
/// whole test out.
/// </summary>
public sealed class FuzzRun(ServiceHost target, bool withCredential, TimeSpan budget)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _skipped;
    private int _sent;

    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentBag<AnsweredCase> _refused = [];
    private readonly ConcurrentBag<AnsweredCase> _accepted = [];

    public IReadOnlyCollection<AnsweredCase> Refused => _refused;

    public IReadOnlyCollection<AnsweredCase> Accepted => _accepted;

    public int Cases => _statuses.Values.Sum();

    public int Skipped => _skipped;

    public string Counts => string.Join(", ", _statuses.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}"));

    public async Task SendAsync(HttpClient http, FuzzRequest request)
    {
        if (_clock.Elapsed > budget)
        {
            Interlocked.Increment(ref _skipped);
            return;
        }

        var key = "fz-" + Guid.NewGuid().ToString("N");
        var sent = Interlocked.Increment(ref _sent);
        using var message = request.ToHttp(target.BaseUrl, key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"{target.Service}: no answer to {request}: {ex.Message}", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var reply = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            _statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
            Check(request, status, reply);
            if (status is >= 200 and < 300)
            {
                _accepted.Add(new AnsweredCase(key, sent, request, status, reply));
            }
            else if (status is >= 400 and < 500)
            {
                _refused.Add(new AnsweredCase(key, sent, request, status, reply));
            }
        }
    }

    private void Check(FuzzRequest request, int status, string reply)
    {
        var allowed = withCredential
            ? status < 500 || (status == 503 && DocumentsUnavailable(target.Service, request.Method, request.Path))
            : status is >= 400 and < 500;
        if (!allowed)
        {
            throw new InvalidOperationException($"{target.Service} {(withCredential ? "with" : "without")} the credential answered {status} to {request}: {Cut(reply)}");
        }

        if (status >= 400 && request.Method != "HEAD" && !IsJsonError(reply, status))
        {
            throw new InvalidOperationException($"{target.Service} answered {status} without the JSON error to {request}: {Cut(reply)}");
        }
    }

    /// <summary>The 503s the API documents: a lookup or order the front-end cannot complete, a trade the catalog could not store, an order to a replica that is not ready to lead, readiness.</summary>
    private static bool DocumentsUnavailable(string service, string method, string path) => (service, method) switch
    {
        (PublicRoutes.FrontEnd, "GET") => path.StartsWith("/stocks/", StringComparison.Ordinal) || path.StartsWith("/orders/", StringComparison.Ordinal),
        (PublicRoutes.FrontEnd, "POST") => path.StartsWith("/orders", StringComparison.Ordinal),
        (PublicRoutes.Catalog, "POST") => path.StartsWith("/stocks/", StringComparison.Ordinal) || path.StartsWith(StockNet.Contracts.Routes.Trades, StringComparison.Ordinal),
        (PublicRoutes.Order, "POST") => path.StartsWith("/orders", StringComparison.Ordinal),
        _ => false,
    } || (method == "GET" && path.StartsWith(StockNet.Contracts.Routes.HealthReady, StringComparison.Ordinal));

    private static bool IsJsonError(string reply, int status)
    {
        try
        {
            using var json = JsonDocument.Parse(reply);
            var error = json.RootElement.GetProperty("error");
            return error.GetProperty("code").GetInt32() == status && error.GetProperty("message").ValueKind == JsonValueKind.String;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    internal static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "...";

    public static int CasesFromEnvironment(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0 ? cases : fallback;
}
