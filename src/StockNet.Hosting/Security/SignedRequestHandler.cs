using System.IO.Pipelines;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Contracts.Security;

namespace StockNet.Hosting.Security;

/// <summary>
/// Authenticates requests signed with the cluster key (<see cref="RequestSignature"/>): the signature must match
/// the method, the request target as received, the body and a time within the window, and the nonce must be new.
/// A refusal is a 401 with the contract's JSON error, logged by <see cref="RejectionLog"/>.
/// </summary>
internal sealed class SignedRequestHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClusterCredential credential,
    ReplayGuard replays,
    RejectionLog rejections)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = RequestSignature.Scheme;

    private const string FailureKey = "StockNet.SignatureFailure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (credential.Key is not { } key)
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            // The common case on public routes: no failure object, the challenge (if any) says "no credential".
            return AuthenticateResult.NoResult();
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // The read-only token's scheme judges it; a failure here would log every dashboard and /metrics read.
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return Fail("not a cluster signature");
        }

        if (!RequestSignature.TryParse(header[(SchemeName.Length + 1)..].Trim(), out var timestamp, out var nonce, out var signature))
        {
            return Fail("a malformed signature");
        }

        // The system clock, not the host's TimeProvider: the signer is another process on the real clock.
        var age = TimeProvider.System.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(timestamp, 0, 253402300799999));
        if (age.Duration() > credential.Window)
        {
            return Fail("a signature outside the time window (a replay, or a clock far off)");
        }

        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? Request.Path + Request.QueryString;
        var bodyHash = await HashBodyAsync(Request.BodyReader, Context.RequestAborted);
        if (!RequestSignature.Verify(key, Request.Method, target, bodyHash, timestamp, nonce, signature))
        {
            return Fail("a wrong signature");
        }

        if (!replays.TryAccept(nonce))
        {
            return Fail("a nonce already used (a replay)");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "cluster")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureKey] as string ?? "no credential";
        var path = Request.Path.Value ?? "";
        rejections.Refused(Request.Method, path.Length <= 100 ? path : path[..100] + "...", Context.Connection.RemoteIpAddress?.ToString(), reason);
        Response.Headers.WWWAuthenticate = SchemeName;
        await ApiResults.WriteErrorAsync(
            Context, StatusCodes.Status401Unauthorized, $"This route needs the cluster credential: the request carried {reason}.", ErrorTypes.Unauthorized);
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>
    /// Hashes the whole body without consuming it: the pipe keeps what was examined, so the endpoint reads the same
    /// bytes. Kestrel's body size limit still applies (a 413 from the error middleware).
    /// </summary>
    private static async Task<byte[]> HashBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                foreach (var segment in result.Buffer)
                {
                    hash.AppendData(segment.Span);
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return hash.GetHashAndReset();
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
