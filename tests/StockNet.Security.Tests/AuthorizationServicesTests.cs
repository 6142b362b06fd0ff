using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Cluster;
using StockNet.Contracts.Security;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests;

/// <summary>
/// The authorization services every service builds: the fallback policy that denies by default, and the one policy
/// evaluator that serves every request, which decides nothing itself for a request the signature did not accept.
/// </summary>
public sealed class AuthorizationServicesTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("stocknet-authz-").FullName;
    private WebApplication _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = ServiceHost.Build(PublicRoutes.Catalog, FreePorts.LoopbackUrl(), _dataDir, []);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public void FallbackPolicy_AnAuthenticatedUserAndNothingElse()
    {
        var fallback = _app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;

        Assert.NotNull(fallback);
        Assert.Empty(fallback.AuthenticationSchemes);
        Assert.IsType<DenyAnonymousAuthorizationRequirement>(Assert.Single(fallback.Requirements));
    }

    /// <summary>A refused request is logged by RejectionLog, at most once per 10 s; the handlers' own line per challenge is not.</summary>
    [Fact]
    public async Task Logging_AtInformation_NoLinePerChallengeFromTheAuthenticationHandlers()
    {
        await using var app = ServiceHost.Build(PublicRoutes.Catalog, FreePorts.LoopbackUrl(), _dataDir, ["--Logging:LogLevel:Default=Information"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("StockNet.Catalog").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("StockNet.Hosting.Security.SignedRequestHandler").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("StockNet.Hosting.Telemetry.ReadOnlyTokenHandler").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("StockNet.Hosting.Security.RejectionLog").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void PolicyEvaluatorAndResultHandler_OneInstanceForEveryRequest()
    {
        using var first = _app.Services.CreateScope();
        using var second = _app.Services.CreateScope();

        Assert.Same(first.ServiceProvider.GetRequiredService<IPolicyEvaluator>(), second.ServiceProvider.GetRequiredService<IPolicyEvaluator>());
        Assert.Same(
            first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>(),
            second.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FallbackPolicy_UserTheSignatureDidNotAccept_Challenged(bool signatureFailed)
    {
        var fallback = _app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy!;
        using var scope = _app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = new ClaimsPrincipal(new ClaimsIdentity()) };
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/trades"), 0, EndpointMetadataCollection.Empty, "trades"));
        var authenticated = signatureFailed ? AuthenticateResult.Fail("a wrong signature") : AuthenticateResult.NoResult();

        var result = await scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>().AuthorizeAsync(fallback, authenticated, context, context);

        Assert.True(result.Challenged);
        Assert.False(result.Succeeded);
    }

    /// <summary>
    /// No route matched (no endpoint: 404), or routing refused the method or the Content-Type with an endpoint of its own
    /// that is not a route (405, 415): nothing runs but that answer, so the fallback policy lets it be given.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FallbackPolicy_RequestThatMatchedNoRoute_LetThroughToRoutingsAnswer(bool routingsRefusal)
    {
        var fallback = _app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy!;
        using var scope = _app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = new ClaimsPrincipal(new ClaimsIdentity()) };
        if (routingsRefusal)
        {
            context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "405 HTTP Method Not Supported"));
        }

        var result = await scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>().AuthorizeAsync(fallback, AuthenticateResult.NoResult(), context, context);

        Assert.True(result.Succeeded);
    }
}
