using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Cli.Status;

/// <summary>What one front-end answered to <c>/status</c>, or why it did not.</summary>
internal sealed record FrontEndReading(Uri Url, ClusterStatus? Status, string? Error)
{
    /// <summary>How long one front-end may take to answer before it shows as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>One reading per front-end, in order, read at the same time.</summary>
    public static Task<FrontEndReading[]> ReadAllAsync(ReadOnlyClient client, IReadOnlyList<Uri> frontEnds, CancellationToken cancellationToken) =>
        Task.WhenAll(frontEnds.Select(async url =>
        {
            var reading = await client.GetStatusAsync(url, cancellationToken);
            return new FrontEndReading(url, reading.Status, reading.Error);
        }));
}
