using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.Cli.Status;

/// <summary>Reads <c>/status</c> from front-ends: one short attempt each, with the read-only token when one is given.</summary>
internal sealed class StatusClient(HttpClient http, string? token)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>One answer per URL, in order; null where the front-end did not answer.</summary>
    public Task<FrontEndReading[]> ReadAllAsync(IReadOnlyList<Uri> frontEnds, CancellationToken cancellationToken) =>
        Task.WhenAll(frontEnds.Select(url => ReadAsync(url, cancellationToken)));

    private async Task<FrontEndReading> ReadAsync(Uri frontEnd, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(frontEnd, Routes.Status));
        if (token is { Length: > 0 })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new FrontEndReading(frontEnd, null, $"HTTP {(int)response.StatusCode}");
            }

            var status = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.ClusterStatus, timeout.Token);
            return new FrontEndReading(frontEnd, status, status is null ? "empty answer" : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new FrontEndReading(frontEnd, null, ex is OperationCanceledException ? "no answer in time" : "unreachable");
        }
    }
}

/// <summary>What one front-end answered, or why it did not.</summary>
internal sealed record FrontEndReading(Uri Url, ClusterStatus? Status, string? Error);
