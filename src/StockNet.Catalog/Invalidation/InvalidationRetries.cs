using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace StockNet.Catalog.Invalidation;

/// <summary>
/// The retries of one invalidation at one front-end, as a resilience pipeline: up to
/// <see cref="CatalogOptions.InvalidationAttempts"/> attempts of <see cref="CatalogOptions.InvalidationTimeout"/>
/// each, with a short linear backoff, no jitter and no circuit breaker (the publisher already drops what it cannot
/// deliver, and the front-end's TTL bounds the staleness). Retrying fits here and only here: an invalidation is
/// idempotent (a front-end drops a cached entry at or below that version, so a second one changes nothing) and no
/// client waits for it; trades and probes stay plain single attempts. The pipeline wraps the typed client, not
/// its HTTP handlers, so every attempt is a new request, signed anew: a resent signature would be refused as a
/// replay. Only no answer, a timeout or a 5xx is tried again; a 4xx refusal is final.
/// </summary>
internal static class InvalidationRetries
{
    public static readonly TimeSpan BackoffStep = TimeSpan.FromMilliseconds(50);

    /// <summary>The pipeline over the HTTP status an attempt got; an attempt without an answer throws.</summary>
    public static ResiliencePipeline<int> Create(CatalogOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = timeProvider };
        if (options.InvalidationAttempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = options.InvalidationAttempts - 1,
                BackoffType = DelayBackoffType.Linear,
                Delay = BackoffStep,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            });
        }

        return pipeline.AddTimeout(options.InvalidationTimeout).Build();
    }

    /// <summary>No answer (refused, unreachable, past the attempt's deadline) or a server error; never the caller's own cancellation.</summary>
    public static bool IsNoAnswer(Exception exception, CancellationToken stoppingToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException => !stoppingToken.IsCancellationRequested,
        _ => false,
    };

    private static bool IsTransient(Outcome<int> outcome, CancellationToken stoppingToken) =>
        outcome.Exception is { } exception ? IsNoAnswer(exception, stoppingToken) : outcome.Result >= 500;
}
