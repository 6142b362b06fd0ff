using System.Security.Cryptography;

namespace StockNet.Contracts.Security;

/// <summary>
/// Signs every request it sends with the cluster key (<see cref="RequestSignature"/>). It sits on every internal
/// HttpClient, so a retry is signed anew with a fresh time and nonce.
/// </summary>
public sealed class SigningHandler : DelegatingHandler
{
    private const string AuthorizationHeader = "Authorization";

    private readonly ClusterKey _key;
    private readonly TimeProvider _time;

    public SigningHandler(ClusterKey key, TimeProvider? time = null)
    {
        _key = key;
        _time = time ?? TimeProvider.System;
    }

    public SigningHandler(ClusterKey key, HttpMessageHandler inner, TimeProvider? time = null)
        : this(key, time)
    {
        InnerHandler = inner;
    }

    /// <summary>A handler chain for a client without IHttpClientFactory: signing when a key is given, plain otherwise.</summary>
    public static HttpMessageHandler Wrap(ClusterKey? key, HttpMessageHandler inner) => key is null ? inner : new SigningHandler(key, inner);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request that already carries its own credential (the read-only token of /metrics, /status and the
        // dashboard) is sent as it is: a signature would replace it, and those routes never take the cluster key.
        if (request.Headers.NonValidated.Contains(AuthorizationHeader))
        {
            return base.SendAsync(request, cancellationToken);
        }

        if (request.Content is null)
        {
            // Most internal calls (order queries, pings, catch-up reads) have no body: signed without an await.
            Sign(request, RequestSignature.EmptyBodyHash);
            return base.SendAsync(request, cancellationToken);
        }

        if (request.Content is JsonBytesContent json)
        {
            // A body already in one array (every forwarded order) is hashed in place: no buffered copy, no await.
            Span<byte> hash = stackalloc byte[Sha256Bytes.Length];
            SHA256.HashData(json.Bytes.Span, hash);
            Sign(request, hash);
            return base.SendAsync(request, cancellationToken);
        }

        return SignBodyAndSendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SignBodyAndSendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffering the content here means the bytes hashed are the bytes sent (and their length is sent too).
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        Span<byte> bodyHash = stackalloc byte[Sha256Bytes.Length];
        SHA256.HashData(body, bodyHash);
        Sign(request, bodyHash);
        return await base.SendAsync(request, cancellationToken);
    }

    private void Sign(HttpRequestMessage request, ReadOnlySpan<byte> bodyHash)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");
        var header = RequestSignature.CreateHeader(
            _key, request.Method.Method, uri.PathAndQuery, bodyHash, _time.GetUtcNow().ToUnixTimeMilliseconds(), RequestNonce.Next());
        // The value is ours and well formed: parsing it into an AuthenticationHeaderValue only to print it again costs.
        request.Headers.TryAddWithoutValidation(AuthorizationHeader, header);
    }
}
