using Microsoft.AspNetCore.Http.Metadata;

namespace StockNet.Hosting;

/// <summary>
/// Raises (or lowers) <see cref="StockNet.Contracts.Limits.MaxRequestBodyBytes"/> for one endpoint. Routing applies it before
/// any middleware reads the body, so the signature check reads under the same limit as the handler.
/// </summary>
public sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}
