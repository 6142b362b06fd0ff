using OpenTelemetry.Metrics;

namespace StockNet.Hosting.Telemetry;

/// <summary>
/// Which of the framework meters' instruments are kept, and the buckets of the request durations. What we do not
/// read costs twice: recorded on every request or connection, then written out at every scrape and every export.
/// </summary>
internal static class MetricViews
{
    /// <summary>
    /// Instruments of the enabled meters that answer no question of ours. A dropped instrument is never enabled,
    /// so the framework does not record it at all: ASP.NET Core's and HttpClient's active requests each took two
    /// measurements per request, HttpClient's time in queue one per call. Before they were dropped they were half
    /// of every <c>/metrics</c> page (a front-end's was 142 KB of Prometheus text; every scrape renders it whole).
    /// </summary>
    internal static readonly string[] Dropped =
    [
        "http.server.active_requests",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
        "http.client.connection.duration",
        "kestrel.connection.duration",
    ];

    /// <summary>
    /// Request durations in seconds, from 100 µs (a cached lookup takes about 50 µs) to 1 s. The semantic
    /// conventions' advice starts at 5 ms, which would put every lookup and most trades into the first bucket.
    /// </summary>
    internal static readonly double[] DurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    internal static readonly string[] Durations = ["http.server.request.duration", "http.client.request.duration"];

    public static MeterProviderBuilder AddStockNetViews(this MeterProviderBuilder metrics)
    {
        foreach (var instrument in Dropped)
        {
            metrics.AddView(instrument, MetricStreamConfiguration.Drop);
        }

        foreach (var instrument in Durations)
        {
            metrics.AddView(instrument, new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets });
        }

        return metrics;
    }
}
