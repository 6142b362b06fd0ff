using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;
using StockNet.Hosting.Telemetry;
using StockNet.Hosting.Security;

namespace StockNet.Hosting;

/// <summary>What every Stock Net service shares: JSON, Kestrel limits, logging and the live/ready health endpoints.</summary>
public static class StockNetHosting
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Kestrel's socket transport options (<c>Sockets:IOQueueCount</c>, <c>Sockets:UnsafePreferInlineScheduling</c>).</summary>
    public const string SocketsSection = "Sockets";

    private const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// Creates a builder for one service: seed aliases below the command line, defaults below everything;
    /// <paramref name="serviceName"/> names it in traces and metrics.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, SeedAliases aliases, string serviceName)
    {
        // Settings are read once. Reloading them would watch the content root (the working directory, under which
        // `stocknet up` keeps its data) for appsettings.json, waking every service on every SQLite write of the
        // cluster: 3-7% of a service's user-mode CPU under trades in a profile. It goes first, so an
        // argument given to the service still decides.
        var builder = WebApplication.CreateSlimBuilder([NoConfigReload, .. args]);
        aliases.AddTo(builder.Configuration);
        builder.AddStockNetHosting(serviceName);
        builder.AddStockNetSecurity();
        return builder;
    }

    public static WebApplicationBuilder AddStockNetHosting(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // A source-generated context in the resolver chain follows these options, not its own attribute.
            StockNetJson.Apply(options.SerializerOptions);
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, StockNetJsonContext.Default);
        });

        // Bodies are read and checked by the framework (System.Text.Json, then the endpoint validation that
        // StockNet.Contracts' attributes drive); a refusal is thrown or written as ProblemDetails, and ErrorHandling
        // and ApiErrorProblemWriter turn both into the contract's error.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<IProblemDetailsWriter, ApiErrorProblemWriter>();
        builder.Services.AddProblemDetails();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestLimits.ApplyTo(kestrel.Limits);
        });
        // Kestrel's socket transport can be set per service without a rebuild (--Sockets:UnsafePreferInlineScheduling=true,
        // Sockets__IOQueueCount=0), to measure what each costs (docs/benchmarks.md, "Thread wake-ups per trade"); by
        // default nothing is set and Kestrel's own defaults hold.
        builder.Services.Configure<SocketTransportOptions>(builder.Configuration.GetSection(SocketsSection));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";

            // Scopes carry the trace and span ids (see AddStockNetTelemetry).
            console.IncludeScopes = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Http", LogLevel.Warning);
        // An authentication handler logs each challenge ("... was challenged") at information level: one line per refused
        // request, which a flood of unsigned requests would turn into a flood of lines. RejectionLog says what was
        // refused instead, at most once per 10 s with the count since.
        builder.Logging.AddFilter(typeof(SignedRequestHandler).FullName, LogLevel.Warning);
        builder.Logging.AddFilter(typeof(ReadOnlyTokenHandler).FullName, LogLevel.Warning);
        // The framework logs every probe of a service that is not ready yet (a replica catching up, a front-end
        // without a leader) as a failure. Not being ready yet is normal; each service logs its own readiness
        // once, and our checks read a flag, so they cannot throw an error this filter would hide.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        builder.Services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddReadOnlyAccess();
        builder.AddStockNetTelemetry(serviceName);
        return builder;
    }

    /// <summary>Maps <c>/health/live</c> (the process answers) and <c>/health/ready</c> (it may take traffic).</summary>
    public static WebApplication MapStockNetHealth(this WebApplication app)
    {
        // Public (PublicRoutes lists them): supervisors and load balancers probe without the cluster key.
        app.MapHealthChecks(Routes.HealthLive, Options(LiveTag)).WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous();
        app.MapHealthChecks(Routes.HealthReady, Options(ReadyTag)).WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous();
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = WriteHealthAsync,
    };

    // The status is one of three fixed words, so no JSON escaping is needed. Unhealthy is a 503, which like every
    // non-2xx answer is the contract's error, naming the checks that failed.
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            var failing = report.Entries.Where(entry => entry.Value.Status == HealthStatus.Unhealthy)
                .Select(entry => entry.Value.Description ?? entry.Key);
            return ApiResults.WriteErrorAsync(
                context, context.Response.StatusCode, $"Not ready: {string.Join("; ", failing)}.", ErrorTypes.NotReady);
        }

        context.Response.ContentType = MediaTypes.Json;
        return context.Response.WriteAsync($"{{\"status\":\"{report.Status}\"}}");
    }
}
