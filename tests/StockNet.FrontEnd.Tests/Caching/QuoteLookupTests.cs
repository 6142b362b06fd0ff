using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Tests.Caching;

public sealed class QuoteLookupTests
{
    [Fact]
    public async Task LookupAsync_CatalogBackAfterOutage_CacheEmptiedOnce()
    {
        var catalog = new SwitchableCatalog();
        var lookup = new QuoteLookup(
            new LruCache(5, TimeSpan.FromSeconds(5), new FakeTimeProvider()),
            new CatalogClient(new HttpClient(catalog), new Uri(new FrontEndOptions().CatalogUrl), TimeSpan.FromSeconds(1)),
            Options.Create(new CacheOptions()));
        await lookup.LookupAsync("GOOG", TestContext.Current.CancellationToken);
        Assert.True((await lookup.LookupAsync("GOOG", TestContext.Current.CancellationToken)).Hit);

        catalog.Down = true;
        Assert.Equal(CatalogStatus.Unavailable, (await lookup.LookupAsync("MSFT", TestContext.Current.CancellationToken)).Status);
        Assert.True((await lookup.LookupAsync("GOOG", TestContext.Current.CancellationToken)).Hit);
        catalog.Down = false;
        await lookup.LookupAsync("MSFT", TestContext.Current.CancellationToken);

        Assert.False((await lookup.LookupAsync("GOOG", TestContext.Current.CancellationToken)).Hit);
        Assert.True((await lookup.LookupAsync("GOOG", TestContext.Current.CancellationToken)).Hit);
    }

    private sealed class SwitchableCatalog : HttpMessageHandler
    {
        public bool Down { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Down)
            {
                throw new HttpRequestException("Connection refused");
            }

            var name = request.RequestUri!.Segments[^1];
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"{{\"data\":{{\"name\":\"{name}\",\"price\":1.5,\"quantity\":100,\"version\":1}}}}", Encoding.UTF8, MediaTypes.Json),
            });
        }
    }
}
