using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>
/// <c>GET /health/ready</c> of any Stock Net service, as tools and the local cluster wait on it. One attempt
/// per call with the timeout given at construction.
/// </summary>
public sealed class HealthClient
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public HealthClient(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _timeout = timeout;
    }

    /// <summary>The service's readiness; a service that does not answer reads as status 0 with the reason.</summary>
    public async Task<Readiness> CheckReadyAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await _http.GetAsync(new Uri(baseUrl, Routes.HealthReady), deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return new Readiness((int)response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            return new Readiness(0, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Readiness(0, "probe timed out");
        }
    }
}

/// <summary>
/// A readiness reply: <see cref="Status"/> 200 is ready (healthy or degraded), 0 is no answer. <see cref="Detail"/> is
/// the body (<c>{"status":"Healthy"}</c>) or why there was none.
/// </summary>
public readonly record struct Readiness(int Status, string Detail)
{
    public bool IsReady => Status == 200;

    /// <summary>Ready with every check passing: for the front-end, that it has an order leader.</summary>
    public bool IsHealthy => IsReady && Detail.Contains("\"Healthy\"", StringComparison.Ordinal);
}
