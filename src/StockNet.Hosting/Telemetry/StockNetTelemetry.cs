using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StockNet.Contracts;

namespace StockNet.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for every service, set up once: ASP.NET Core, HttpClient and runtime metrics plus every
/// <c>StockNet.*</c> meter, scraped at <c>/metrics</c> (Prometheus) and pushed by OTLP when its endpoint is set;
/// traces of every request (W3C context on every internal call) and of every <c>StockNet.*</c> activity
/// source, recorded only when an exporter is there to take them, so an idle tracer costs nothing.
/// </summary>
public static class StockNetTelemetry
{
    /// <summary>Every service's meters and activity sources are named under this prefix.</summary>
    public const string Prefix = "StockNet.";

    /// <summary>
    /// The framework's meters we read: requests per route (<c>http.server.request.duration</c>), Kestrel's
    /// connections, unhandled exceptions, and outgoing calls (<c>http.client.request.duration</c>); the
    /// instruments of theirs we do not read are dropped (<see cref="MetricViews"/>). The ASP.NET Core
    /// and HttpClient instrumentations would also enable the memory pool's, routing's, rate limiter's,
    /// authentication's and authorization's meters, which record on every request (five more measurements
    /// per request: 6% of a cached lookup's user-mode CPU in a profile) and answer no question of ours.
    /// </summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
    ];

    public static WebApplicationBuilder AddStockNetTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        // Trace and span ids on every log line written inside a request or a span.
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var options = Read(builder.Configuration);
        if (!options.Enabled)
        {
            return builder;
        }

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointKey]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: builder.Configuration["urls"]));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(FrameworkMeters)
                .AddRuntimeInstrumentation()
                .AddMeter(Prefix + "*")
                .AddStockNetViews()
                .AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp || options.ConsoleTraces)
        {
            telemetry.WithTracing(tracing =>
            {
                // W3C trace context only: the SDK's default also reads baggage, which makes the ASP.NET Core
                // instrumentation parse every request's headers a second time (ASP.NET Core has already read the
                // traceparent); no service sends baggage.
                Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
                tracing.AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => IsTraced(context.Request.Path.Value))
                    .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => IsTraced(request.RequestUri?.AbsolutePath))
                    .AddSource(Prefix + "*");
                if (otlp)
                {
                    tracing.AddOtlpExporter(otlp => SpanBatching.Apply(otlp.BatchExportProcessorOptions, builder.Configuration));
                }

                if (options.ConsoleTraces)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }

        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when telemetry is on; read-only access as <see cref="ReadOnlyAccess"/> decides.</summary>
    public static WebApplication MapStockNetMetrics(this WebApplication app)
    {
        if (Read(app.Configuration).Enabled)
        {
            app.MapPrometheusScrapingEndpoint(Routes.Metrics).RequireReadOnlyAccess();
        }

        return app;
    }

    private static TelemetryOptions Read(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();

    // Probes (every 100 ms), health checks and scrapes would bury the traces worth reading.
    private static bool IsTraced(string? path) =>
        path is null || !(path.StartsWith(Routes.Ping, StringComparison.Ordinal)
            || path.StartsWith(Routes.HealthLive, StringComparison.Ordinal)
            || path.StartsWith(Routes.HealthReady, StringComparison.Ordinal)
            || path.StartsWith(Routes.Metrics, StringComparison.Ordinal)
            || path.StartsWith(Routes.Dashboard, StringComparison.Ordinal)
            || path.StartsWith(Routes.Status, StringComparison.Ordinal));

    /// <summary>Starts a span that is no request's child (a batch loop), linked to the requests it carries.</summary>
    public static Activity? StartBatch(this ActivitySource source, string name, ActivityKind kind, IEnumerable<ActivityLink>? links)
    {
        // Activity.Current here is whatever flowed into the loop's task when it started; a batch has no parent.
        Activity.Current = null;
        return source.StartActivity(name, kind, parentContext: default, tags: null, links: links);
    }
}
