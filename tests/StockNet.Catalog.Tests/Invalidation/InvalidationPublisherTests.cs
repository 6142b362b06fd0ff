using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Catalog.Invalidation;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests.Invalidation;

public sealed class InvalidationPublisherTests
{
    [Theory]
    [InlineData(HttpStatusCode.OK, 1, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3, false)]
    [InlineData(HttpStatusCode.Unauthorized, 1, false)]
    public async Task PublishAsync_FrontEndAnswers_TriesAsOftenAsTheStatusWarrants(HttpStatusCode status, int expectedCalls, bool expectedResult)
    {
        var handler = new CountingHandler(status);
        var publisher = CreatePublisher(handler, attempts: 3);

        var published = await publisher.PublishAsync(new CacheInvalidated("GOOG", 4), TestContext.Current.CancellationToken);

        Assert.Equal(expectedResult, published);
        Assert.Equal(expectedCalls, handler.Calls);
        Assert.Equal("/invalidate/GOOG", handler.LastPath);
    }

    [Fact]
    public async Task PublishAsync_FrontEndUnreachable_GivesUpAfterConfiguredAttempts()
    {
        var handler = new CountingHandler(exception: new HttpRequestException("connection refused"));
        var publisher = CreatePublisher(handler, attempts: 2);

        var published = await publisher.PublishAsync(new CacheInvalidated("IBM", 1), TestContext.Current.CancellationToken);

        Assert.False(published);
        Assert.Equal(2, handler.Calls);
    }

    private static InvalidationPublisher CreatePublisher(CountingHandler handler, int attempts)
    {
        var options = Options.Create(new CatalogOptions { InvalidationAttempts = attempts });
        var client = new FrontEndClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9001") });
        return new InvalidationPublisher(new InvalidationQueue(options), client, options, TimeProvider.System, NullLogger<InvalidationPublisher>.Instance);
    }

    private sealed class CountingHandler(HttpStatusCode status = HttpStatusCode.OK, Exception? exception = null) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string? LastPath { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            LastPath = request.RequestUri?.AbsolutePath;
            return exception is null ? Task.FromResult(new HttpResponseMessage(status)) : Task.FromException<HttpResponseMessage>(exception);
        }
    }
}
