using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Catalog.Invalidation;

/// <summary>
/// Pushes committed trades to every front-end as <c>POST /invalidate/{name}</c>, off the trade's reply path.
/// Guarantee: best effort, per front-end (one that is down costs the others nothing). Each invalidation gets up
/// to InvalidationAttempts tries of InvalidationTimeout each at each front-end (<see cref="InvalidationRetries"/>),
/// then is logged and dropped; the front-end's TTL bounds how stale a missed entry can be. Waiting entries are
/// coalesced per stock (the newest version wins), since one push per stock clears its cache entry.
/// </summary>
internal sealed partial class InvalidationPublisher(
    InvalidationQueue queue,
    IReadOnlyList<FrontEndClient> frontEnds,
    IOptions<CatalogOptions> options,
    TimeProvider timeProvider,
    ILogger<InvalidationPublisher> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private static readonly TimeSpan _dropReportInterval = TimeSpan.FromSeconds(5);
    private readonly CatalogOptions _options = options.Value;
    private readonly ResiliencePipeline<int> _retries = InvalidationRetries.Create(options.Value, timeProvider);
    private long _droppedSinceReport;
    private long _lastDropReport;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!queue.IsEnabled)
        {
            return;
        }

        var batch = new Dictionary<string, CacheInvalidated>(StringComparer.Ordinal);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var invalidation))
            {
                if (!batch.TryGetValue(invalidation.Name, out var waiting) || waiting.Version < invalidation.Version)
                {
                    batch[invalidation.Name] = invalidation;
                }
            }

            await Task.WhenAll(batch.Values.Select(invalidation => PublishAsync(invalidation, stoppingToken)));
        }
    }

    /// <summary>Sends one invalidation to every front-end; true when each took it. Never throws except on shutdown.</summary>
    internal async Task<bool> PublishAsync(CacheInvalidated invalidation, CancellationToken stoppingToken)
    {
        var delivered = await Task.WhenAll(frontEnds.Select(frontEnd => PublishAsync(frontEnd, invalidation, stoppingToken)));
        return delivered.All(ok => ok);
    }

    /// <summary>Delivers one invalidation to one front-end, tried again as <see cref="InvalidationRetries"/> says.</summary>
    private async Task<bool> PublishAsync(FrontEndClient frontEnd, CacheInvalidated invalidation, CancellationToken stoppingToken)
    {
        var status = await TryAsync(frontEnd, invalidation, stoppingToken);
        if (status is >= 200 and < 300)
        {
            return true;
        }

        if (status is >= 400 and < 500)
        {
            // The front-end refused it (for example, no credential); asking again gets the same answer.
            Log.InvalidationRefused(logger, invalidation.Name, invalidation.Version, status);
            return false;
        }

        ReportDropped(invalidation);
        return false;
    }

    // While the front-end is down every trade's invalidation is dropped; one summary per interval keeps the log readable.
    private void ReportDropped(CacheInvalidated invalidation)
    {
        Interlocked.Increment(ref _droppedSinceReport);
        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropReport);
        if ((last != 0 && timeProvider.GetElapsedTime(last, now) < _dropReportInterval)
            || Interlocked.CompareExchange(ref _lastDropReport, now, last) != last)
        {
            return;
        }

        var dropped = Interlocked.Exchange(ref _droppedSinceReport, 0);
        Log.InvalidationsDropped(logger, dropped, _options.InvalidationAttempts, invalidation.Name, invalidation.Version);
    }

    // Returns the last attempt's HTTP status, or 0 when it timed out or could not connect.
    private async Task<int> TryAsync(FrontEndClient frontEnd, CacheInvalidated invalidation, CancellationToken stoppingToken)
    {
        try
        {
            return await _retries.ExecuteAsync(
                static (state, cancellationToken) => new ValueTask<int>(state.frontEnd.InvalidateAsync(state.invalidation, cancellationToken)),
                (frontEnd, invalidation),
                stoppingToken);
        }
        catch (Exception ex) when (InvalidationRetries.IsNoAnswer(ex, stoppingToken))
        {
            Log.LastAttemptFailed(logger, invalidation.Name, invalidation.Version, ex.Message);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Invalidation of {Name} v{Version} failed on its last attempt: {Reason}")]
        public static partial void LastAttemptFailed(ILogger logger, string name, long version, string reason);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "{Count} invalidations dropped after {Attempts} attempts each, the latest {Name} v{Version}; the front-end's TTL bounds the staleness")]
        public static partial void InvalidationsDropped(ILogger logger, long count, int attempts, string name, long version);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Invalidation of {Name} v{Version} refused by the front-end with status {Status}")]
        public static partial void InvalidationRefused(ILogger logger, string name, long version, int status);
    }
}
