using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StockNet.Hosting;

/// <summary>
/// Says in the log when a peer's host name does not resolve, once until it resolves again. In a container
/// network a peer's name exists only while its container runs, so this is expected while the system starts
/// and after a peer crashed; the caller's own loop retries (probes, resyncs, invalidation pushes), and without
/// this line the only trace would be a peer that silently never answers. The request still fails as before.
/// </summary>
public sealed partial class PeerNameLog(ILogger<PeerNameLog> logger) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, bool> _unresolved = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authority = request.RequestUri?.Authority ?? string.Empty;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (_unresolved.TryRemove(authority, out _))
            {
                LogResolved(logger, authority);
            }

            return response;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            if (_unresolved.TryAdd(authority, true))
            {
                LogUnresolved(logger, authority, ex.Message);
            }

            throw;
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning,
        Message = "Peer {Peer} does not resolve ({Reason}); retrying as usual, and logging again once it resolves")]
    private static partial void LogUnresolved(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Peer {Peer} resolves again")]
    private static partial void LogResolved(ILogger logger, string peer);
}

/// <summary>Adds <see cref="PeerNameLog"/> to a peer's HTTP client.</summary>
public static class PeerNameLogExtensions
{
    public static IHttpClientBuilder LogUnresolvedPeers(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler(services => new PeerNameLog(services.GetRequiredService<ILogger<PeerNameLog>>()));
}
