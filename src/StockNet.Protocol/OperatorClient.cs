using System.Net.Http.Headers;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>
/// One request of an operator's own making (<c>stocknet call</c>) to any route of any service: the method, URL and
/// JSON body are the caller's, and the protocol's handlers sign it with the cluster key as a service's own calls are
/// (<see cref="ProtocolClients.Create"/> with the key). One attempt, bounded by the timeout given at construction,
/// no retry and no redirect: a POST may trade, so it is never sent twice, and traffic goes only to the URL given.
/// </summary>
public sealed class OperatorClient
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public OperatorClient(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _timeout = timeout;
    }

    /// <summary>Sends the request and reads the whole answer within the timeout; without one, why (<see cref="OperatorReply.NoAnswer"/>).</summary>
    public async Task<OperatorReply> SendAsync(string method, Uri url, byte[]? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody) { Headers = { ContentType = new MediaTypeHeaderValue(MediaTypes.Json) } };
        }

        using var deadline = ReplyReader.Deadline(_timeout, cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return new OperatorReply((int)response.StatusCode, response.ReasonPhrase ?? "", body, null);
        }
        catch (HttpRequestException ex)
        {
            return new OperatorReply(0, "", [], ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new OperatorReply(0, "", [], $"no complete answer within {_timeout.TotalSeconds:0.###} s");
        }
    }
}

/// <summary>A service's answer to an <see cref="OperatorClient"/> request: status 0 with <see cref="NoAnswer"/> when there was none.</summary>
public sealed record OperatorReply(int Status, string Reason, byte[] Body, string? NoAnswer)
{
    public bool Answered => NoAnswer is null;
}
