using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Catalog.Invalidation;
using StockNet.Contracts;
using StockNet.Protocol;

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

    [Fact]
    public async Task PublishAsync_TwoFrontEndsOneDown_OtherStillGetsIt()
    {
        var handler = new CountingHandler(failPort: 9002);
        var publisher = CreatePublisher(handler, attempts: 2, frontEnds: "http://127.0.0.1:9001, http://127.0.0.1:9002");

        var published = await publisher.PublishAsync(new CacheInvalidated("AMD", 3), TestContext.Current.CancellationToken);

        Assert.False(published);
        Assert.Equal([(9001, 1), (9002, 2)], handler.CallsByPort.OrderBy(pair => pair.Key).Select(pair => (pair.Key, pair.Value)));
    }

    private static InvalidationPublisher CreatePublisher(CountingHandler handler, int attempts, string frontEnds = "http://127.0.0.1:9001")
    {
        var options = Options.Create(new CatalogOptions { InvalidationAttempts = attempts, FrontEndUrl = frontEnds });
        var http = new HttpClient(handler);
        FrontEndClient[] clients = [.. options.Value.FrontEnds.Select(frontEnd => new FrontEndClient(http, frontEnd, TimeSpan.FromSeconds(5)))];
        return new InvalidationPublisher(new InvalidationQueue(options), clients, options, TimeProvider.System, NullLogger<InvalidationPublisher>.Instance);
    }

    private sealed class CountingHandler(HttpStatusCode status = HttpStatusCode.OK, Exception? exception = null, int failPort = 0) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public System.Collections.Concurrent.ConcurrentDictionary<int, int> CallsByPort { get; } = new();

        public string? LastPath { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            LastPath = request.RequestUri?.AbsolutePath;
            var port = request.RequestUri!.Port;
            CallsByPort.AddOrUpdate(port, 1, (_, calls) => calls + 1);
            if (port == failPort)
            {
                return Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"));
            }

            return exception is null ? Task.FromResult(new HttpResponseMessage(status)) : Task.FromException<HttpResponseMessage>(exception);
        }
    }
}
