using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StockNet.Contracts;

namespace StockNet.Catalog.Invalidation;

/// <summary>
/// Hands committed trades to the <see cref="InvalidationPublisher"/> without ever blocking a trade: the
/// channel is bounded and, when full, drops the oldest entry (the front-end's TTL bounds that staleness).
/// Nothing is queued when caching is off.
/// </summary>
internal sealed class InvalidationQueue
{
    public const int Capacity = 4096;

    private readonly Channel<CacheInvalidated> _channel = Channel.CreateBounded<CacheInvalidated>(
        new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });

    public InvalidationQueue(IOptions<CatalogOptions> options) => IsEnabled = options.Value.CacheEnabled;

    public bool IsEnabled { get; }

    public ChannelReader<CacheInvalidated> Reader => _channel.Reader;

    /// <summary>Queues an invalidation; returns false when caching is off.</summary>
    public bool TryEnqueue(CacheInvalidated invalidation) => IsEnabled && _channel.Writer.TryWrite(invalidation);
}
