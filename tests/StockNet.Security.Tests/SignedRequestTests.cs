using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests;

/// <summary>The credential itself, on the catalog's trade route: what a signature binds, and that a captured request cannot be used again.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SignedRequestTests : IAsyncLifetime
{
    private const string Trade = """{"type":"buy","quantity":1}""";
    private TestCluster _cluster = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Uri TradeUrl => new(_cluster.Catalog.BaseUrl, Routes.Stock("GOOG"));

    public async ValueTask InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Trade_SignedNow_Applied()
    {
        var before = await QuantityAsync();
        using var http = _cluster.Catalog.UnsignedClient();

        using var response = await http.SendAsync(Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, DateTimeOffset.UtcNow, Guid.NewGuid()), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before - 1, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_CapturedAndReplayedAfterTheWindow_401AndNothingChanges()
    {
        // The signer's clock says 6 s ago: exactly a request captured then and sent again now, past the 5 s window.
        var capturedAt = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(-6));
        using var http = new HttpClient(new SigningHandler(ServiceHost.Key, new SocketsHttpHandler(), capturedAt)) { BaseAddress = _cluster.Catalog.BaseUrl };
        var before = await QuantityAsync();

        using var response = await http.PostAsync(Routes.Stock("GOOG"), JsonContent(Trade), Token);

        await AssertUnauthorizedAsync(response);
        Assert.Equal(before, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_SameSignedRequestSentTwiceWithinTheWindow_SecondIs401()
    {
        using var http = _cluster.Catalog.UnsignedClient();
        var time = DateTimeOffset.UtcNow;
        var nonce = Guid.NewGuid();
        var before = await QuantityAsync();

        using var first = await http.SendAsync(Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, time, nonce), Token);
        using var replay = await http.SendAsync(Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, time, nonce), Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertUnauthorizedAsync(replay);
        Assert.Equal(before - 1, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_BodyChangedAfterSigning_401()
    {
        using var http = _cluster.Catalog.UnsignedClient();
        using var request = Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, DateTimeOffset.UtcNow, Guid.NewGuid());
        request.Content = JsonContent("""{"type":"sell","quantity":99}""");
        var before = await QuantityAsync();

        using var response = await http.SendAsync(request, Token);

        await AssertUnauthorizedAsync(response);
        Assert.Equal(before, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_BodyArrivingInTwoPieces_HashedWhenWholeAndApplied()
    {
        // The verifier hashes a body that is all there without waiting; this one is not, so it waits for the rest.
        using var http = _cluster.Catalog.UnsignedClient();
        using var request = Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, DateTimeOffset.UtcNow, Guid.NewGuid());
        request.Content = new TwoPieceContent(Trade);
        var before = await QuantityAsync();

        using var response = await http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before - 1, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_LatePieceOfTheBodyChanged_401()
    {
        using var http = _cluster.Catalog.UnsignedClient();
        using var request = Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, TradeUrl, Trade, DateTimeOffset.UtcNow, Guid.NewGuid());
        request.Content = new TwoPieceContent(Trade.Replace("1}", "9}", StringComparison.Ordinal));
        var before = await QuantityAsync();

        using var response = await http.SendAsync(request, Token);

        await AssertUnauthorizedAsync(response);
        Assert.Equal(before, await QuantityAsync());
    }

    [Fact]
    public async Task Trade_SignedForAnotherPathOrMethod_401()
    {
        using var http = _cluster.Catalog.UnsignedClient();
        using var otherStock = Requests.SignedRequest(ServiceHost.Key, HttpMethod.Post, new Uri(_cluster.Catalog.BaseUrl, Routes.Stock("IBM")), Trade, DateTimeOffset.UtcNow, Guid.NewGuid());
        otherStock.RequestUri = TradeUrl;
        using var otherMethod = Requests.SignedRequest(ServiceHost.Key, HttpMethod.Put, TradeUrl, Trade, DateTimeOffset.UtcNow, Guid.NewGuid());
        otherMethod.Method = HttpMethod.Post;

        using var pathChanged = await http.SendAsync(otherStock, Token);
        using var methodChanged = await http.SendAsync(otherMethod, Token);

        await AssertUnauthorizedAsync(pathChanged);
        await AssertUnauthorizedAsync(methodChanged);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("StockNet-HMAC")]
    [InlineData("StockNet-HMAC t=1,n=2,s=3")]
    [InlineData("StockNet-HMAC t=99999999999999999999,n=00000000000000000000000000000000,s=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Trade_MalformedCredential_401(string authorization)
    {
        using var http = _cluster.Catalog.UnsignedClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, TradeUrl) { Content = JsonContent(Trade) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request, Token);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task FrontEnd_InternalClients_SignTheirCalls()
    {
        // An order through the front-end crosses three signed hops: front-end to leader, leader to catalog, leader to followers.
        using var http = _cluster.FrontEnd.UnsignedClient();

        using var placed = await http.PostAsync(Routes.Orders, JsonContent("""{"name":"GOOG","type":"buy","quantity":2}"""), Token);

        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
    }

    [Fact]
    public async Task Catalog_InvalidationPush_SignedAndAcceptedByTheFrontEnd()
    {
        using var frontEnd = _cluster.FrontEnd.UnsignedClient();
        using var catalog = _cluster.Catalog.SignedClient();
        using var lookup = await frontEnd.GetAsync(Routes.Stock("IBM"), Token);

        using var trade = await catalog.PostAsync(Routes.Stock("IBM"), JsonContent(Trade), Token);

        Assert.Equal(HttpStatusCode.OK, trade.StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        long invalidations;
        do
        {
            await Task.Delay(50, Token);
            using var stats = System.Text.Json.JsonDocument.Parse(await frontEnd.GetStringAsync(Routes.CacheStats, Token));
            invalidations = stats.RootElement.GetProperty("data").GetProperty("invalidations").GetInt64();
        }
        while (invalidations == 0 && DateTime.UtcNow < deadline);

        Assert.True(invalidations > 0, "the catalog's push never reached the front-end's cache");
    }

    /// <summary>A JSON body of known length sent in two writes 200 ms apart, so the receiver sees the first half alone.</summary>
    private sealed class TwoPieceContent : HttpContent
    {
        private readonly byte[] _bytes;

        public TwoPieceContent(string json)
        {
            _bytes = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(MediaTypes.Json);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            await Task.Delay(200);
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, MediaTypes.Json);

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var (status, code, type) = await Requests.ReadErrorAsync(response);
        Assert.Equal((HttpStatusCode.Unauthorized, 401, "unauthorized"), (status, code, type));
        Assert.Equal(RequestSignature.Scheme, response.Headers.WwwAuthenticate.Single().Scheme);
    }

    private async Task<long> QuantityAsync()
    {
        using var http = _cluster.Catalog.UnsignedClient();
        var quote = await http.GetFromJsonAsync(Routes.Stock("GOOG"), StockNetJsonContext.Default.DataEnvelopeStockQuote, Token);
        return quote!.Data.Quantity;
    }
}
