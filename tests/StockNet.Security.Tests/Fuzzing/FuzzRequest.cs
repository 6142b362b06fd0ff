using System.Text;

namespace StockNet.Security.Tests.Fuzzing;

/// <summary>
/// One generated request. <see cref="KeyMarker"/> in the body or key stands for a fresh idempotency key made when
/// the request is sent, so every case's effects can be traced in the catalog's journal and the replicas' logs.
/// </summary>
public sealed record FuzzRequest(string Method, string Path, string? Body, bool WithKey, string? ContentType, string? TransactionHeader)
{
    public const string KeyMarker = "@KEY@";

    public HttpRequestMessage ToHttp(Uri baseUrl, string key)
    {
        // Concatenated, not resolved: a path such as "//AMD" would otherwise name a host.
        var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + Path));
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body.Replace(KeyMarker, key, StringComparison.Ordinal)));
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        // A client sending a large body waits for "100 Continue", so a service refusing it unread (401, 413) is heard
        // instead of a broken pipe: the answer is what the fuzzer checks.
        request.Headers.ExpectContinue = Body is { Length: > 4 * 1024 };

        if (WithKey)
        {
            request.Headers.TryAddWithoutValidation(StockNet.Contracts.Routes.IdempotencyKeyHeader, key);
        }

        if (TransactionHeader is not null)
        {
            request.Headers.TryAddWithoutValidation(StockNet.Contracts.Routes.TransactionNumberHeader, TransactionHeader);
        }

        return request;
    }

    public override string ToString() =>
        $"{Method} {Path} key={WithKey} type={ContentType} txn={TransactionHeader} body({Body?.Length ?? 0})={(Body is null ? "null" : Body.Length <= 200 ? Body : Body[..200] + "...")}";
}
