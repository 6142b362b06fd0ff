using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;

namespace StockNet.Hosting.Telemetry;

/// <summary>The <c>Metrics</c> section: who may read <c>/metrics</c>, the status and the dashboard.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// The read-only token: a bearer token (what Prometheus's <c>authorization</c> setting sends) or the
    /// <c>token</c> query parameter (a browser's EventSource sends no headers). Unset leaves these routes open.
    /// It is never the cluster key, and it opens nothing that changes state.
    /// </summary>
    public string? Token { get; set; }
}

/// <summary>
/// The read-only routes' own authentication scheme and policy. They name their scheme explicitly, so they
/// compose with any default scheme and fallback policy the service has for its other routes.
/// </summary>
public static class ReadOnlyAccess
{
    public const string Scheme = "ReadOnlyToken";
    public const string Policy = "ReadOnly";
    public const string QueryParameter = "token";

    public static IServiceCollection AddReadOnlyAccess(this IServiceCollection services)
    {
        // A lone scheme would otherwise become every request's default and run on every route, hot path included.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ReadOnlyTokenHandler>(Scheme, configureOptions: null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    public static TBuilder RequireReadOnlyAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(Policy);
}

internal sealed class ReadOnlyTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    IOptions<MetricsOptions> metrics,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal Reader = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "reader")], ReadOnlyAccess.Scheme));

    private readonly byte[]? _token = string.IsNullOrEmpty(metrics.Value.Token) ? null : Encoding.UTF8.GetBytes(metrics.Value.Token);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (_token is null)
        {
            return Task.FromResult(Success());
        }

        var offered = Offered(Request);
        if (offered is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), _token)
            ? Success()
            : AuthenticateResult.Fail("wrong read-only token"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.WriteErrorAsync(
            Context, StatusCodes.Status401Unauthorized, "This route needs the read-only token (Metrics:Token) as a bearer token or ?token=.", ErrorTypes.Unauthorized);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiResults.WriteErrorAsync(Context, StatusCodes.Status403Forbidden, "The read-only token does not open this route.", ErrorTypes.Forbidden);

    private AuthenticateResult Success() => AuthenticateResult.Success(new AuthenticationTicket(Reader, ReadOnlyAccess.Scheme));

    private static string? Offered(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Query[ReadOnlyAccess.QueryParameter].ToString() is { Length: > 0 } query ? query : null;
    }
}
