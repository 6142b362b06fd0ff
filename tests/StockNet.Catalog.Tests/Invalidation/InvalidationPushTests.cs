using Microsoft.Extensions.DependencyInjection;
using StockNet.Catalog.Invalidation;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests.Invalidation;

public sealed class InvalidationPushTests
{
    private static readonly TimeSpan _pushDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PostStock_CacheEnabled_PushesInvalidationWithNameAndVersion()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var frontEnd = new StubFrontEnd();
        await frontEnd.StartAsync(cancellationToken);
        await using var host = await CatalogHost.StartAsync(cancellationToken, frontEnd.Url, cacheEnabled: true);

        (await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 1}""", cancellationToken)).Dispose();
        var first = await frontEnd.NextAsync(_pushDeadline, cancellationToken);
        (await host.TradeAsync("GOOG", """{"type": "sell", "quantity": 2}""", cancellationToken)).Dispose();
        var later = await NextVersionAsync(frontEnd, 2, cancellationToken);

        Assert.Equal(("GOOG", new CacheInvalidated("GOOG", 1)), first);
        Assert.Equal(("GOOG", new CacheInvalidated("GOOG", 2)), later);
    }

    // Delivery is at least once: an attempt that timed out on a busy machine may arrive again, so skip older repeats.
    private static async Task<(string RouteName, CacheInvalidated Body)> NextVersionAsync(StubFrontEnd frontEnd, long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await frontEnd.NextAsync(_pushDeadline, cancellationToken);
            if (received.Body.Version >= version)
            {
                return received;
            }
        }
    }

    [Fact]
    public async Task PostStock_CacheDisabled_PushesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var frontEnd = new StubFrontEnd();
        await frontEnd.StartAsync(cancellationToken);
        await using var host = await CatalogHost.StartAsync(cancellationToken, frontEnd.Url, cacheEnabled: false);

        using var response = await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 1}""", cancellationToken);

        // With caching off the publisher never reads, so anything queued would still be in the queue.
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var queue = host.App.Services.GetRequiredService<InvalidationQueue>();
        Assert.False(queue.IsEnabled);
        Assert.Equal(0, queue.Reader.Count);
        Assert.False(frontEnd.Received.TryRead(out _));
    }
}
