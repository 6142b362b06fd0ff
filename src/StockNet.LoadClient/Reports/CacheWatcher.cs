using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// Follows a front-end's <c>/cache/contents</c> during one run: the entries at the start, then every event
/// (hit, miss, put, eviction, invalidation...) by polling every <see cref="PollInterval"/> for what came after
/// the last one seen. A front-end without the endpoint (a seed one) or refusing the token gives an empty
/// timeline, which draws nothing. The read-only token comes from STOCKNET_METRICS_TOKEN.
/// </summary>
public sealed class CacheWatcher : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CacheEventView> _events = [];
    private readonly Task _polling;
    private CacheEntryView[] _initial = [];
    private long _startUnixMs;
    private long _next;
    private long _missed;
    private bool _available = true;

    private CacheWatcher(Uri frontEnd)
    {
        _http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(2) };
        if (Environment.GetEnvironmentVariable("STOCKNET_METRICS_TOKEN") is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _polling = Task.Run(PollAsync);
    }

    public static CacheWatcher Start(Uri frontEnd) => new(frontEnd);

    /// <summary>Stops after one last poll and returns what was seen.</summary>
    public async Task<CacheTimeline> StopAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        await ReadAsync(CancellationToken.None);
        return new CacheTimeline(_available, _startUnixMs, _initial, [.. _events], _missed);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task PollAsync()
    {
        _startUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = await ReadContentsAsync(after: null, _stop.Token);
        if (first is null)
        {
            _available = false;
            return;
        }

        // Only what happens from now on: the run starts here.
        _initial = first.Entries;
        _next = first.Next;
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await ReadAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        if (!_available)
        {
            return;
        }

        var contents = await ReadContentsAsync(_next, cancellationToken);
        if (contents is null)
        {
            return;
        }

        _events.AddRange(contents.Events);
        _missed += contents.Missed;
        _next = contents.Next;
    }

    private async Task<CacheContents?> ReadContentsAsync(long? after, CancellationToken cancellationToken)
    {
        try
        {
            var path = after is { } a ? $"{Routes.CacheContents}?after={a}" : Routes.CacheContents;
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.CacheContents, cancellationToken)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // One missed poll: the next one asks from the same point.
            return null;
        }
    }
}

/// <summary>What a <see cref="CacheWatcher"/> saw in one run: the entries at the start and every event after, with Unix times in ms.</summary>
public sealed record CacheTimeline(bool Available, long StartUnixMs, IReadOnlyList<CacheEntryView> Initial, IReadOnlyList<CacheEventView> Events, long Missed)
{
    public static readonly CacheTimeline None = new(false, 0, [], [], 0);
}
