using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace StockNet.Hosting.Security;

/// <summary>
/// ASP.NET Core's policy evaluator with two answers known in advance: the fallback policy (an authenticated user,
/// nothing more) is met by a request <see cref="SignedRequestHandler"/> has accepted, whose user is the cluster's one
/// principal, and by a request that matched no route (routing answers it 404, 405 or 415). Every other policy, and the
/// fallback policy for any other user (none, a failed signature, another scheme's) on a route, is evaluated by the
/// framework as before, so deny by default is decided where it always was.
/// </summary>
/// <remarks>
/// The framework's evaluation builds a handler context, a set of pending requirements, its enumerators and two
/// result tasks per request, about 0.6 KB on every signed internal call, to conclude what the signature check
/// already established. A singleton: it holds nothing per request (the framework registers it transient).
/// </remarks>
internal sealed class ClusterPolicyEvaluator(IAuthorizationService authorization, IOptions<AuthorizationOptions> options)
    : PolicyEvaluator(authorization)
{
    private static readonly Task<PolicyAuthorizationResult> Authorized = Task.FromResult(PolicyAuthorizationResult.Success());

    private readonly AuthorizationPolicy? _fallback = options.Value.FallbackPolicy;

    public override Task<PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
        _fallback is not null && ReferenceEquals(policy, _fallback) && (SignedRequestHandler.IsCluster(context.User) || MatchedNoRoute(context))
            ? Authorized
            : base.AuthorizeAsync(policy, authenticationResult, context, resource);

    /// <summary>
    /// True when routing found no route for the request: no endpoint (404), or routing's own refusal of a path that exists
    /// for another method (405) or another Content-Type (415), which is a plain endpoint, not a route. Nothing runs for
    /// such a request but that answer, so the credential guards nothing; refusing it 401 told a client who sent
    /// <c>curl -d</c> (a form, not JSON) to the public <c>POST /orders</c> that it needed the cluster key, where the
    /// contract answers 415 <c>unsupported-media-type</c>. Every route is still closed without the credential.
    /// </summary>
    private static bool MatchedNoRoute(HttpContext context) => context.GetEndpoint() is not RouteEndpoint;
}
