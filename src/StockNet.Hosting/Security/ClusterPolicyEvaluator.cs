using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace StockNet.Hosting.Security;

/// <summary>
/// ASP.NET Core's policy evaluator with one answer known in advance: the fallback policy (an authenticated user,
/// nothing more) is met by a request <see cref="SignedRequestHandler"/> has accepted, whose user is the cluster's one
/// principal. Every other policy, and the fallback policy for any other user (none, a failed signature, another
/// scheme's), is evaluated by the framework as before, so deny by default is decided where it always was.
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
        _fallback is not null && ReferenceEquals(policy, _fallback) && SignedRequestHandler.IsCluster(context.User)
            ? Authorized
            : base.AuthorizeAsync(policy, authenticationResult, context, resource);
}
