using Spectre.Console;
using StockNet.Contracts;
using StockNet.LoadClient.Targets;
using StockNet.LoadClient.Workload;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// <c>stocknet bench --telemetry-overhead</c>: what telemetry costs the hot paths. Two clusters run side by side,
/// one with telemetry off (Telemetry:Enabled=false) and one with everything on: every span recorded (100%
/// sampling) and exported by OTLP/HTTP to a local sink, OTLP metrics, and <c>/metrics</c> of all five services
/// scraped every second. Cached lookups and trades run against each in turn, alternating which goes first,
/// three rounds; the medians are compared.
/// </summary>
public static class TelemetryOverheadBench
{
    public const int Rounds = 3;

    private static readonly BenchScenario[] Scenarios = [BenchScenario.CachedLookup, BenchScenario.Trade];

    public static async Task<IReadOnlyList<OverheadResult>> RunAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var sink = OtlpSink.Start();
        console.MarkupLine("Starting a cluster with telemetry off and one with telemetry on (OTLP to a local sink, /metrics scraped every second) ...");
        await using var off = await LoadTarget.StartClusterAsync(true, options.CacheSize, cancellationToken, new() { ["Telemetry__Enabled"] = "false" });
        await using var on = await LoadTarget.StartClusterAsync(true, options.CacheSize, cancellationToken, new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Url.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            // A queue that holds a second of spans at full speed, so spans are exported rather than dropped.
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = "65536",
            ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "4096",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        });
        using var scraper = MetricsScraper.Start(on.Cluster!.Services.Select(service => service.BaseUrl));

        var connections = options.Connections.Max();
        var measured = new Dictionary<(BenchScenario, bool), List<double>>();
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var scenario in Scenarios)
            {
                // Alternate which goes first, so neither always runs on a machine warmed (or tired) by the other.
                var order = round % 2 == 1 ? new[] { (off, false), (on, true) } : [(on, true), (off, false)];
                foreach (var (target, telemetry) in order)
                {
                    var result = await RunOnceAsync(target, scenario, connections, options, cancellationToken);
                    console.MarkupLineInterpolated(
                        $"round {round}  {BenchScenarios.Label(scenario),-14} telemetry {(telemetry ? "on " : "off")}  {result.RequestsPerSecond,9:N0} req/s  p50 {result.P50Ms:0.000} ms  errors {result.Errors}");
                    if (!measured.TryGetValue((scenario, telemetry), out var list))
                    {
                        measured[(scenario, telemetry)] = list = [];
                    }

                    list.Add(result.RequestsPerSecond);
                }
            }
        }

        console.MarkupLineInterpolated($"The sink received {sink.Requests:N0} OTLP exports ({sink.Bytes / 1e6:0.0} MB); {scraper.Scrapes:N0} scrapes of /metrics ({scraper.Failures} failed).");
        return [.. Scenarios.Select(scenario => new OverheadResult(
            BenchScenarios.Label(scenario), connections, measured[(scenario, false)], measured[(scenario, true)]))];
    }

    private static async Task<ThroughputResult> RunOnceAsync(
        LoadTarget target, BenchScenario scenario, int connections, BenchOptions options, CancellationToken cancellationToken)
    {
        using var client = new FrontEndClient(target.FrontEndUrl, connections, options.Timeout);
        var scenarios = new ThroughputScenarios(LoadOptions.DefaultStocks, options.CacheSize);
        return await ClosedLoop.RunAsync(
            BenchScenarios.Label(scenario), connections, options.Warmup, options.Duration, scenarios.Operation(scenario, client), cancellationToken);
    }
}

/// <summary>One scenario's throughput runs with telemetry off and on, and the overhead of their medians.</summary>
public sealed record OverheadResult(string Scenario, int Connections, IReadOnlyList<double> Off, IReadOnlyList<double> On)
{
    public double MedianOff => Median(Off);

    public double MedianOn => Median(On);

    /// <summary>How much throughput telemetry costs, in percent of the throughput without it.</summary>
    public double OverheadPercent => MedianOff == 0 ? 0 : 100 * (MedianOff - MedianOn) / MedianOff;

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>GETs every service's <c>/metrics</c> once a second, as Prometheus would, reading each page whole.</summary>
internal sealed class MetricsScraper : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _scrapes;
    private long _failures;

    private MetricsScraper(IEnumerable<Uri> services)
    {
        var targets = services.Select(service => new Uri(service, Routes.Metrics)).ToArray();
        _loop = Task.Run(() => LoopAsync(targets));
    }

    public long Scrapes => Interlocked.Read(ref _scrapes);

    public long Failures => Interlocked.Read(ref _failures);

    public static MetricsScraper Start(IEnumerable<Uri> services) => new(services);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task LoopAsync(Uri[] targets)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await Task.WhenAll(targets.Select(ScrapeAsync));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task ScrapeAsync(Uri target)
    {
        try
        {
            var page = await _http.GetStringAsync(target, _stop.Token);
            Interlocked.Increment(ref page.Length > 0 ? ref _scrapes : ref _failures);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}
