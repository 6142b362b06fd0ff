using Spectre.Console;
using StockNet.LoadClient.Targets;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// <c>stocknet bench --telemetry-overhead</c>: what telemetry costs the hot paths. Two clusters run side by side,
/// one with telemetry off (Telemetry:Enabled=false) and one with everything on: every span recorded (100%
/// sampling) and exported by OTLP/HTTP to a local sink, OTLP metrics, and <c>/metrics</c> of all five services
/// scraped every second. Cached lookups and trades run against each in turn, alternating which goes first,
/// three rounds; the medians are compared. Besides throughput, each run reports the CPU time the five services
/// spent per request (from /proc), which a machine shared with other work disturbs far less than throughput.
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
        var cpu = new Dictionary<(BenchScenario, bool), List<double>>();
        for (var round = 1; round <= Rounds; round++)
        {
            foreach (var scenario in Scenarios)
            {
                // Alternate which goes first, so neither always runs on a machine warmed (or tired) by the other.
                var order = round % 2 == 1 ? new[] { (off, false), (on, true) } : [(on, true), (off, false)];
                foreach (var (target, telemetry) in order)
                {
                    var (result, cpuMicroseconds) = await RunOnceAsync(target, scenario, connections, options, cancellationToken);
                    console.MarkupLineInterpolated(
                        $"round {round}  {BenchScenarios.Label(scenario),-14} telemetry {(telemetry ? "on " : "off")}  {result.RequestsPerSecond,9:N0} req/s  p50 {result.P50Ms:0.000} ms  {cpuMicroseconds,7:0} µs CPU/request  errors {result.Errors}");
                    Add(measured, (scenario, telemetry), result.RequestsPerSecond);
                    Add(cpu, (scenario, telemetry), cpuMicroseconds);
                }
            }
        }

        console.MarkupLineInterpolated($"The sink received {sink.Requests:N0} OTLP exports ({sink.Bytes / 1e6:0.0} MB); {scraper.Scrapes:N0} scrapes of /metrics ({scraper.Failures} failed).");
        return [.. Scenarios.Select(scenario => new OverheadResult(
            BenchScenarios.Label(scenario), connections, measured[(scenario, false)], measured[(scenario, true)], cpu[(scenario, false)], cpu[(scenario, true)]))];
    }

    private static void Add(Dictionary<(BenchScenario, bool), List<double>> results, (BenchScenario, bool) key, double value)
    {
        if (!results.TryGetValue(key, out var list))
        {
            results[key] = list = [];
        }

        list.Add(value);
    }

    // The warm-up runs apart, so the CPU measured belongs to the measured requests only.
    private static async Task<(ThroughputResult Result, double CpuMicrosecondsPerRequest)> RunOnceAsync(
        LoadTarget target, BenchScenario scenario, int connections, BenchOptions options, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = connections);
        var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
        var scenarios = new ThroughputScenarios(LoadOptions.DefaultStocks, options.CacheSize);
        var operation = scenarios.Operation(scenario, client);
        var label = BenchScenarios.Label(scenario);
        await ClosedLoop.RunAsync(label, connections, TimeSpan.Zero, options.Warmup, operation, cancellationToken);
        var cpuBefore = ServicesCpuSeconds(target);
        var result = await ClosedLoop.RunAsync(label, connections, TimeSpan.Zero, options.Duration, operation, cancellationToken);
        var cpuSeconds = ServicesCpuSeconds(target) - cpuBefore;
        return (result, result.Requests == 0 ? 0 : cpuSeconds * 1e6 / result.Requests);
    }

    /// <summary>User and system CPU time of the cluster's processes so far (Linux /proc; 0 elsewhere).</summary>
    private static double ServicesCpuSeconds(LoadTarget target)
    {
        double ticks = 0;
        foreach (var service in target.Cluster!.Services)
        {
            var stat = $"/proc/{service.ProcessId}/stat";
            if (service.ProcessId is null || !File.Exists(stat))
            {
                continue;
            }

            // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
            var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ticks += double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        }

        // Linux reports in clock ticks of 1/100 s on every platform .NET runs on.
        return ticks / 100;
    }
}

/// <summary>One scenario's throughput runs with telemetry off and on, and the overhead of their medians.</summary>
public sealed record OverheadResult(
    string Scenario, int Connections, IReadOnlyList<double> Off, IReadOnlyList<double> On, IReadOnlyList<double> CpuOff, IReadOnlyList<double> CpuOn)
{
    public double MedianOff => Median(Off);

    public double MedianOn => Median(On);

    /// <summary>How much throughput telemetry costs, in percent of the throughput without it.</summary>
    public double OverheadPercent => MedianOff == 0 ? 0 : 100 * (MedianOff - MedianOn) / MedianOff;

    /// <summary>The services' CPU time per request with telemetry on, in percent above off (medians).</summary>
    public double CpuOverheadPercent => Median(CpuOff) == 0 ? 0 : 100 * (Median(CpuOn) - Median(CpuOff)) / Median(CpuOff);

    public double MedianCpuOff => Median(CpuOff);

    public double MedianCpuOn => Median(CpuOn);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>GETs every service's <c>/metrics</c> once a second, as Prometheus would, reading each page whole.</summary>
internal sealed class MetricsScraper : IDisposable
{
    private readonly ProtocolClients _clients = ProtocolClients.Create();
    private readonly ReadOnlyClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _scrapes;
    private long _failures;

    private MetricsScraper(IEnumerable<Uri> services)
    {
        _client = _clients.ReadOnly(token: null, TimeSpan.FromSeconds(2));
        var targets = services.ToArray();
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
        _clients.Dispose();
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

    private async Task ScrapeAsync(Uri service)
    {
        try
        {
            Interlocked.Increment(ref await _client.ScrapeMetricsAsync(service, _stop.Token) ? ref _scrapes : ref _failures);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-scrape: not a failure of the service.
        }
    }
}
