using System.Diagnostics;
using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>How lookups through the front-end compared with the catalog once the cluster was quiet.</summary>
public sealed record CacheVerdict(int StaleAtFirstLook, IReadOnlyList<string> StaleDetails, IReadOnlyList<Violation> Violations);

/// <summary>
/// Looks every stock up through the front-end and compares it with the catalog: once at once (staleness there is
/// reported, not a violation: an invalidation may be lost for good, and the TTL bounds it), then again until all
/// agree or the cache TTL (plus a margin) has passed; what still differs then is a violation.
/// </summary>
internal sealed class CacheChecker(ClusterProbe probe, TimeSpan cacheTtl)
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<CacheVerdict> CheckAsync(IReadOnlyList<StockQuote> catalog, CancellationToken cancellationToken)
    {
        var first = await CompareAsync(catalog, cancellationToken);
        var remaining = first;
        var clock = Stopwatch.StartNew();
        while (remaining.Count > 0 && clock.Elapsed < cacheTtl + Margin)
        {
            await Task.Delay(PollInterval, cancellationToken);
            remaining = await CompareAsync(catalog, cancellationToken);
        }

        return new CacheVerdict(first.Count, first, [.. remaining.Select(detail => new Violation("stale-lookup", detail + $" still after {(cacheTtl + Margin).TotalSeconds:0.#} s."))]);
    }

    private async Task<List<string>> CompareAsync(IReadOnlyList<StockQuote> catalog, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        foreach (var expected in catalog)
        {
            var seen = await probe.LookupAsync(expected.Name, cancellationToken);
            if (seen is null)
            {
                differences.Add($"{expected.Name}: the front-end did not answer the lookup");
            }
            else if (seen.Quantity != expected.Quantity || (seen.Version != 0 && seen.Version != expected.Version))
            {
                differences.Add($"{expected.Name}: the front-end says quantity {seen.Quantity} (version {seen.Version}), the catalog {expected.Quantity} (version {expected.Version})");
            }
        }

        return differences;
    }
}
