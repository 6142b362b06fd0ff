using System.Diagnostics.Metrics;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Telemetry;

/// <summary>
/// The front-end's instruments. The cache's are observed from the counters it keeps anyway, so a lookup
/// records nothing extra; elections are counted where the leader changes.
/// </summary>
public sealed class FrontEndMetrics : IDisposable
{
    public const string MeterName = "StockNet.FrontEnd";

    private readonly Meter _meter;

    public FrontEndMetrics(IMeterFactory meters, QuoteLookup lookup, LeaderState leader)
    {
        _meter = meters.Create(MeterName);
        var cache = lookup.Cache;
        _meter.CreateObservableCounter("stocknet.cache.lookups", () => Lookups(cache, lookup.Enabled), "{lookup}", "Cache lookups, by result (hit or miss).");
        _meter.CreateObservableCounter("stocknet.cache.evictions", () => cache.GetStats(lookup.Enabled).Evictions, "{entry}", "Entries dropped to make room (least recently used).");
        _meter.CreateObservableCounter(
            "stocknet.cache.invalidations", () => cache.GetStats(lookup.Enabled).Invalidations, "{invalidation}", "Invalidations pushed by the catalog.");
        _meter.CreateObservableCounter(
            "stocknet.cache.refused_puts", () => cache.GetStats(lookup.Enabled).RefusedPuts, "{put}", "Quotes not stored because an invalidation made them possibly stale.");
        _meter.CreateObservableUpDownCounter("stocknet.cache.size", () => cache.GetStats(lookup.Enabled).Size, "{entry}", "Entries in the cache now.");
        _meter.CreateObservableCounter("stocknet.elections", () => leader.Changes, "{election}", "Times a new order leader (or none) was installed.");
        _meter.CreateObservableGauge("stocknet.leader.epoch", () => leader.Epoch, "{epoch}", "The highest epoch this front-end has announced or seen.");
        _meter.CreateObservableGauge("stocknet.leader.replica", () => leader.Current?.ReplicaId ?? 0, null, "The order leader's replica id; 0 while there is none.");
    }

    public void Dispose() => _meter.Dispose();

    private static Measurement<long>[] Lookups(LruCache cache, bool enabled)
    {
        var stats = cache.GetStats(enabled);
        return
        [
            new(stats.Hits, new KeyValuePair<string, object?>("stocknet.cache.result", "hit")),
            new(stats.Misses, new KeyValuePair<string, object?>("stocknet.cache.result", "miss")),
        ];
    }
}
