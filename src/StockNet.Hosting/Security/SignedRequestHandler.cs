using System.Buffers;
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

    private static readonly Task<AuthenticateResult> NoResult = Task.FromResult(AuthenticateResult.NoResult());

    // One principal for every signed request: it says "the cluster" and nothing else, and no one changes it.
    private static readonly ClaimsPrincipal Cluster = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "cluster")], SchemeName));

    // And one result: a ticket is a principal and empty properties, the same for every accepted request, which no
    // one writes to. A new one per request was a task, a result, a ticket and its properties' dictionary.
    private static readonly Task<AuthenticateResult> Accepted = Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Cluster, SchemeName)));

    /// <summary>True for the user of a request this handler accepted (the cluster's principal), and for no other.</summary>
    public static bool IsCluster(ClaimsPrincipal? user) => ReferenceEquals(user, Cluster);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (credential.Key is not { } key)
        {
            return NoResult;
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            // The common case on public routes: no failure object, the challenge (if any) says "no credential".
            return NoResult;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // The read-only token's scheme judges it; a failure here would log every dashboard and /metrics read.
            return NoResult;
        }

        if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return Fail("not a cluster signature");
        }

        if (!RequestSignature.TryParse(header.AsSpan(SchemeName.Length + 1).Trim(), out var parts))
        {
            return Fail("a malformed signature");
        }

        // The system clock, not the host's TimeProvider: the signer is another process on the real clock.
        var age = TimeProvider.System.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(parts.TimestampMs, 0, 253402300799999));
        if (age.Duration() > credential.Window)
        {
            return Fail("a signature outside the time window (a replay, or a clock far off)");
        }

        // Almost always the whole body is in the first read (a GET has none): then the check runs without an await.
        return TryHashReadBody(Request.BodyReader, out var bodyHash)
            ? Check(key, parts, bodyHash)
            : CheckAfterBodyAsync(key, parts);
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

    private async Task<AuthenticateResult> CheckAfterBodyAsync(ClusterKey key, SignedParts parts)
    {
        var bodyHash = await HashBodyAsync(Request.BodyReader, Context.RequestAborted);
        return await Check(key, parts, bodyHash);
    }

    /// <summary>The signature over this request's method, target and body, then the nonce: a replay is told apart only once the signature is known good.</summary>
    private Task<AuthenticateResult> Check(ClusterKey key, in SignedParts parts, Sha256Bytes bodyHash)
    {
        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? Request.Path + Request.QueryString;
        if (!RequestSignature.Verify(key, Request.Method, target, bodyHash, parts))
        {
            return Fail("a wrong signature");
        }

        if (!replays.TryAccept(parts.Nonce))
        {
            return Fail("a nonce already used (a replay)");
        }

        return Accepted;
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason));
    }

    /// <summary>
    /// Hashes the body when it has all arrived, without consuming it: the pipe keeps what was examined, so the
    /// endpoint reads the same bytes. False (nothing consumed) when more is still to come.
    /// </summary>
    private static bool TryHashReadBody(PipeReader reader, out Sha256Bytes bodyHash)
    {
        bodyHash = default;
        if (!reader.TryRead(out var result))
        {
            return false;
        }

        var complete = result.IsCompleted || result.IsCanceled;
        if (complete)
        {
            bodyHash = Hash(result.Buffer);
        }

        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        return complete;
    }

    /// <summary>
    /// Hashes the whole body without consuming it, waiting for the rest to arrive. Kestrel's body size limit still
    /// applies (a 413 from the error middleware).
    /// </summary>
    private static async Task<Sha256Bytes> HashBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                var hash = Hash(result.Buffer);
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return hash;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static Sha256Bytes Hash(in ReadOnlySequence<byte> body)
    {
        var hash = default(Sha256Bytes);
        if (body.IsEmpty)
        {
            // Most signed calls are GETs: their hash is known.
            RequestSignature.EmptyBodyHash.CopyTo(hash);
            return hash;
        }

        if (body.IsSingleSegment)
        {
            SHA256.HashData(body.FirstSpan, hash);
            return hash;
        }

        using var incremental = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in body)
        {
            incremental.AppendData(segment.Span);
        }

        incremental.GetHashAndReset(hash);
        return hash;
    }
}
