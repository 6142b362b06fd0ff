using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// Follows a front-end's <c>/cache/contents</c> during one run: the entries at the start, then every event
/// (hit, miss, put, eviction, invalidation...) by polling every <see cref="PollInterval"/> for what came after
/// the last one seen. A front-end without the endpoint (a seed one) or refusing the token gives an empty
/// timeline, which draws nothing. The read-only token comes from <see cref="ReadOnlyToken.EnvironmentVariable"/>.
/// </summary>
public sealed class CacheWatcher : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(2);

    // Its own connection, not one of the load's: a poll never waits behind the workers' requests.
    private readonly ProtocolClients _clients = ProtocolClients.Create();
    private readonly ReadOnlyClient _client;
    private readonly Uri _frontEnd;
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
        _frontEnd = frontEnd;
        _client = _clients.ReadOnly(ReadOnlyToken.FromEnvironment(), PollTimeout);
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
        _clients.Dispose();
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

    // A missed poll returns null: the next one asks from the same point.
    private Task<CacheContents?> ReadContentsAsync(long? after, CancellationToken cancellationToken) =>
        _client.GetCacheContentsAsync(_frontEnd, after, cancellationToken);
}

/// <summary>What a <see cref="CacheWatcher"/> saw in one run: the entries at the start and every event after, with Unix times in ms.</summary>
public sealed record CacheTimeline(bool Available, long StartUnixMs, IReadOnlyList<CacheEntryView> Initial, IReadOnlyList<CacheEventView> Events, long Missed)
{
    public static readonly CacheTimeline None = new(false, 0, [], [], 0);
}
