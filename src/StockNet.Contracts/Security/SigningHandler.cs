using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace StockNet.Contracts.Security;

/// <summary>
/// Signs every request it sends with the cluster key (<see cref="RequestSignature"/>). It sits on every internal
/// HttpClient, so a retry is signed anew with a fresh time and nonce.
/// </summary>
public sealed class SigningHandler : DelegatingHandler
{
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request that already carries its own credential (the read-only token of /metrics, /status and the
        // dashboard) is sent as it is: a signature would replace it, and those routes never take the cluster key.
        if (request.Headers.Authorization is null)
        {
            await SignAsync(request, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");

        // Buffering the content here means the bytes hashed are the bytes sent.
        var bodyHash = request.Content is null
            ? RequestSignature.EmptyBodyHash
            : SHA256.HashData(await request.Content.ReadAsByteArrayAsync(cancellationToken));
        var parameter = RequestSignature.Create(
            _key, request.Method.Method, uri.PathAndQuery, bodyHash, _time.GetUtcNow().ToUnixTimeMilliseconds(), Guid.NewGuid());
        request.Headers.Authorization = new AuthenticationHeaderValue(RequestSignature.Scheme, parameter);
    }
}
