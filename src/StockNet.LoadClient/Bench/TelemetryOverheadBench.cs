using Spectre.Console;
using StockNet.LoadClient.Targets;
using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// <c>stocknet bench --telemetry-overhead</c>: what telemetry costs the hot paths. Two clusters run side by side,
/// one with telemetry off (Telemetry:Enabled=false) and one with everything on: every span recorded (100%
/// sampling) and exported by OTLP/HTTP to a local sink, OTLP metrics, and <c>/metrics</c> of all five services
/// scraped every second. Cached lookups and trades run against each in turn, alternating which goes first,
/// three rounds after one unmeasured round that warms both up (JIT tiering, connection pools, caches); the medians
/// are compared. Besides throughput, each run reports the CPU time per request (from
/// /proc) of the five services, of the front-end alone, of the sink and of the load generator: the sink stands in
/// for a collector, which would run elsewhere, so its CPU is reported apart and is not the services' cost, though
/// on a two-core machine it still takes cycles from them, which the throughput figures include.
/// </summary>
public static class TelemetryOverheadBench
{
    public const int Rounds = 3;

    private static readonly BenchScenario[] Scenarios = [BenchScenario.CachedLookup, BenchScenario.Trade];

    public static async Task<IReadOnlyList<OverheadResult>> RunAsync(BenchOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var sink = await OtlpSinkProcess.StartAsync(cancellationToken);
        console.MarkupLine("Starting a cluster with telemetry off and one with telemetry on (OTLP to a sink in its own process, /metrics scraped every second) ...");
        await using var off = await LoadTarget.StartClusterAsync(true, options.CacheSize, cancellationToken, new() { ["Telemetry__Enabled"] = "false" });
        await using var on = await LoadTarget.StartClusterAsync(true, options.CacheSize, cancellationToken, OtlpEnvironment(sink.Url));
        var runs = new Dictionary<(BenchScenario, bool), List<OverheadRun>>();
        using (var scraper = MetricsScraper.Start(on.Cluster!.Services.Select(service => service.BaseUrl)))
        {
            var connections = options.Connections.Max();
            console.MarkupLine("Warming both clusters up (one unmeasured run of each scenario) ...");
            foreach (var scenario in Scenarios)
            {
                foreach (var target in new[] { off, on })
                {
                    await RunOnceAsync(target, sink, scenario, connections, options, cancellationToken);
                }
            }

            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var scenario in Scenarios)
                {
                    // Alternate which goes first, so neither always runs on a machine warmed (or tired) by the other.
                    var order = round % 2 == 1 ? new[] { (off, false), (on, true) } : [(on, true), (off, false)];
                    foreach (var (target, telemetry) in order)
                    {
                        var run = await RunOnceAsync(target, sink, scenario, connections, options, cancellationToken);
                        console.MarkupLineInterpolated(
                            $"round {round}  {BenchScenarios.Label(scenario),-14} telemetry {(telemetry ? "on " : "off")}  {run.RequestsPerSecond,9:N0} req/s  p50 {run.P50Ms:0.000} ms  CPU µs/request: services {run.ServicesMicroseconds,5:0} (front-end {run.FrontEndMicroseconds,4:0}), sink {run.SinkMicroseconds,4:0.0}, load generator {run.ClientMicroseconds,4:0}  errors {run.Errors}  load {run.LoadAverage:0.0}");
                        Add(runs, (scenario, telemetry), run);
                    }
                }
            }

            console.MarkupLineInterpolated($"{scraper.Scrapes:N0} scrapes of /metrics ({scraper.Failures} failed).");
        }

        await sink.StopAsync(cancellationToken);
        if (sink.Received is var (requests, bytes))
        {
            console.MarkupLineInterpolated($"The sink received {requests:N0} OTLP exports ({bytes / 1e6:0.0} MB).");
        }

        return [.. Scenarios.Select(scenario => new OverheadResult(BenchScenarios.Label(scenario), options.Connections.Max(), runs[(scenario, false)], runs[(scenario, true)]))];
    }

    /// <summary>
    /// Every span and metric exported by OTLP/HTTP to the sink, metrics every second. Spans are batched as the
    /// services batch them by default (a queue large enough that none is dropped): the bench measures what
    /// <c>stocknet up</c> runs.
    /// </summary>
    private static Dictionary<string, string?> OtlpEnvironment(Uri sink) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    private static void Add(Dictionary<(BenchScenario, bool), List<OverheadRun>> runs, (BenchScenario, bool) key, OverheadRun run)
    {
        if (!runs.TryGetValue(key, out var list))
        {
            runs[key] = list = [];
        }

        list.Add(run);
    }

    // The warm-up runs apart, so the CPU measured belongs to the measured requests only.
    private static async Task<OverheadRun> RunOnceAsync(
        LoadTarget target, OtlpSinkProcess sink, BenchScenario scenario, int connections, BenchOptions options, CancellationToken cancellationToken)
    {
        using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = connections);
        var client = clients.FrontEnd(target.FrontEndUrl, options.Timeout);
        var scenarios = new ThroughputScenarios(LoadOptions.DefaultStocks, options.CacheSize);
        var operation = scenarios.Operation(scenario, client);
        var label = BenchScenarios.Label(scenario);
        await ClosedLoop.RunAsync(label, connections, TimeSpan.Zero, options.Warmup, operation, cancellationToken);
        var before = CpuNow(target, sink);
        var result = await ClosedLoop.RunAsync(label, connections, TimeSpan.Zero, options.Duration, operation, cancellationToken);
        var after = CpuNow(target, sink);
        var perRequest = result.Requests == 0 ? 0 : 1e6 / result.Requests;
        return new OverheadRun(
            result.RequestsPerSecond,
            result.P50Ms,
            result.Errors,
            (after.Services - before.Services) * perRequest,
            (after.FrontEnd - before.FrontEnd) * perRequest,
            (after.Sink - before.Sink) * perRequest,
            (after.Client - before.Client) * perRequest,
            LoadAverage.Now());
    }

    private static (double Services, double FrontEnd, double Sink, double Client) CpuNow(LoadTarget target, OtlpSinkProcess sink)
    {
        var cluster = target.Cluster!;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return (
            cluster.Services.Sum(service => ProcessCpu.Seconds(service.ProcessId)),
            ProcessCpu.Seconds(cluster.FrontEnd.ProcessId),
            ProcessCpu.Seconds(sink.ProcessId),
            self.TotalProcessorTime.TotalSeconds);
    }
}

/// <summary>One measured run: throughput, and CPU µs per request of the services, the front-end among them, the sink and the load generator.</summary>
public sealed record OverheadRun(
    double RequestsPerSecond,
    double P50Ms,
    long Errors,
    double ServicesMicroseconds,
    double FrontEndMicroseconds,
    double SinkMicroseconds,
    double ClientMicroseconds,
    double LoadAverage);

/// <summary>One scenario's runs with telemetry off and on, and the overhead of their medians.</summary>
public sealed record OverheadResult(string Scenario, int Connections, IReadOnlyList<OverheadRun> Off, IReadOnlyList<OverheadRun> On)
{
    public double MedianOff => Median(Off, run => run.RequestsPerSecond);

    public double MedianOn => Median(On, run => run.RequestsPerSecond);

    /// <summary>How much throughput telemetry costs, in percent of the throughput without it.</summary>
    public double OverheadPercent => Percent(MedianOff - MedianOn, MedianOff);

    /// <summary>
    /// The same, paired: each round's on against the same round's off (run back to back), then the median. Less
    /// moved by a machine whose load changes from round to round.
    /// </summary>
    public double PairedOverheadPercent => Median([.. Off.Zip(On, (off, on) => Percent(off.RequestsPerSecond - on.RequestsPerSecond, off.RequestsPerSecond))]);

    public double MedianCpuOff => Median(Off, run => run.ServicesMicroseconds);

    public double MedianCpuOn => Median(On, run => run.ServicesMicroseconds);

    /// <summary>The services' CPU time per request with telemetry on, in percent above off (medians); the sink's is not in it.</summary>
    public double CpuOverheadPercent => Percent(MedianCpuOn - MedianCpuOff, MedianCpuOff);

    public double MedianFrontEndOff => Median(Off, run => run.FrontEndMicroseconds);

    public double MedianFrontEndOn => Median(On, run => run.FrontEndMicroseconds);

    /// <summary>What receiving the exports cost the sink per request (it idles while the cluster without telemetry runs).</summary>
    public double MedianSinkOn => Median(On, run => run.SinkMicroseconds);

    public double MinLoad => Off.Concat(On).Min(run => run.LoadAverage);

    public double MaxLoad => Off.Concat(On).Max(run => run.LoadAverage);

    public static double Median(IReadOnlyList<OverheadRun> runs, Func<OverheadRun, double> value) => Median([.. runs.Select(value)]);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Percent(double part, double whole) => whole == 0 ? 0 : 100 * part / whole;
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
