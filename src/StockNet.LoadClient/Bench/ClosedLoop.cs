using System.Diagnostics;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Bench;

/// <summary>One request of a closed-loop worker: true when it succeeded.</summary>
public delegate ValueTask<bool> BenchOperation(int worker, long iteration, CancellationToken cancellationToken);

/// <summary>
/// A closed loop: each of N workers sends its next request as soon as the previous reply is read, so the
/// offered load is exactly what the system can serve at that concurrency. Requests completed during the
/// warm-up are not measured; each worker records into its own histogram, merged at the end.
/// </summary>
public static class ClosedLoop
{
    public static async Task<ThroughputResult> RunAsync(
        string scenario, int connections, TimeSpan warmup, TimeSpan duration, BenchOperation operation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + ToTicks(warmup);
        var stopAt = measureFrom + ToTicks(duration);
        var recorders = new LatencyRecorder[connections];
        var workers = new Task[connections];
        for (var i = 0; i < connections; i++)
        {
            var worker = i;
            recorders[worker] = new LatencyRecorder();
            workers[worker] = Task.Run(() => WorkAsync(worker, operation, recorders[worker], measureFrom, stopAt, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(measureFrom, Math.Max(stopAt, Stopwatch.GetTimestamp())).TotalSeconds;
        var summary = LatencyRecorder.Merge(recorders).Summarize(RequestKind.Lookup);
        return new ThroughputResult(
            scenario, connections, summary.Count, summary.Errors, seconds, summary.Count / seconds,
            summary.MeanMs, summary.P50Ms, summary.P99Ms, summary.MaxMs);
    }

    private static async Task WorkAsync(
        int worker, BenchOperation operation, LatencyRecorder recorder, long measureFrom, long stopAt, CancellationToken cancellationToken)
    {
        for (long iteration = 0; ; iteration++)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= stopAt || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var ok = await operation(worker, iteration, cancellationToken);
            var end = Stopwatch.GetTimestamp();

            // Only requests that start inside the window count, so a slow warm-up request cannot leak in.
            if (start >= measureFrom)
            {
                // Every scenario measures a single request type; the recorder's lookup slot holds it.
                recorder.Record(RequestKind.Lookup, start, end, ok ? 200 : 0, !ok);
            }
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
