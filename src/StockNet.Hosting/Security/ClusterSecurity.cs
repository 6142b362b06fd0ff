using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Hosting.Security;

/// <summary>
/// Deny by default: every route needs a request signed with the cluster key unless it is marked
/// <c>AllowAnonymous</c> (the routes of <see cref="PublicRoutes"/>), every HttpClient the service makes signs its
/// requests, public requests are rate-limited per client, and every request has a deadline.
/// </summary>
public static partial class ClusterSecurity
{
    /// <summary>Past this a request is answered 503; far above the front-end's failover budget, so only a stuck request meets it.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddStockNetSecurity(this WebApplicationBuilder builder) =>
        builder.AddStockNetSecurity(Environment.GetEnvironmentVariable);

    public static WebApplicationBuilder AddStockNetSecurity(this WebApplicationBuilder builder, Func<string, string?> environment)
    {
        var options = builder.Configuration.GetSection(ClusterSecurityOptions.SectionName).Get<ClusterSecurityOptions>() ?? new();
        var credential = ClusterCredential.Resolve(options, environment);
        var services = builder.Services;
        services.AddSingleton(credential);
        services.AddSingleton(new ReplayGuard(TimeProvider.System, credential.Window));
        services.AddSingleton(sp => new RejectionLog(sp.GetRequiredService<ILogger<RejectionLog>>(), TimeProvider.System));
        services.AddAuthentication(SignedRequestHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SignedRequestHandler>(SignedRequestHandler.SchemeName, configureOptions: null);
        services.AddAuthorization(authorization =>
        {
            if (!credential.Insecure)
            {
                // The policy names no scheme: the signature is the default scheme, whose result UseAuthentication has
                // already put in HttpContext.User. Naming it would make every request authenticate a second time
                // and merge the two principals into a third.
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        // The authorization middleware asks the request's services for these two on every request that has a policy
        // (every request but insecure ones): registered transient, each was a new object graph per request (the
        // evaluator's authorization service, its policy and handler providers, the handlers, about 0.4 KB). Neither
        // holds anything per request, so one of each serves all.
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, ClusterPolicyEvaluator>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, AuthorizationMiddlewareResultHandler>());
        if (credential.Key is { } key)
        {
            // The one place every HttpClient of the service gets its signature, whoever registers the client.
            services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new SigningHandler(key)));
        }

        services.AddSingleton(ClientRateLimits.Add(builder));
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = WriteTimeoutAsync,
        });
        return builder;
    }

    /// <summary>Call right after the error middleware, before mapping endpoints.</summary>
    public static WebApplication UseStockNetSecurity(this WebApplication app)
    {
        var credential = app.Services.GetRequiredService<ClusterCredential>();
        if (credential.Insecure)
        {
            InsecureStart(app.Logger);
        }

        if (app.Services.GetRequiredService<ClientRateLimitOptions>().TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseAuthentication();
        // After authentication (signed requests pass unlimited), before authorization (floods of unsigned ones are limited too).
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        return app;
    }

    private static Task WriteTimeoutAsync(HttpContext context) => context.Response.WriteAsJsonAsync(
        new StockNet.Contracts.ApiError(new StockNet.Contracts.ErrorBody(
            StatusCodes.Status503ServiceUnavailable, "The request took too long and was abandoned; retry (orders with the same Idempotency-Key).", ErrorTypes.Timeout)),
        StockNet.Contracts.StockNetJsonContext.Default.ApiError,
        cancellationToken: CancellationToken.None);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
        Message = "Started with --insecure: every route accepts unsigned requests from anyone who can reach this port. Use it only beside services that cannot sign.")]
    private static partial void InsecureStart(ILogger logger);
}
