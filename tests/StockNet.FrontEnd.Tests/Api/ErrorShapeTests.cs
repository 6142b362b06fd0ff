using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StockNet.Cluster;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Tests.Api;

/// <summary>
/// Every refusal is the contract's <c>{"error": {"code", "message", "type"}}</c> with a readable sentence: what the
/// framework's reader and validation said is rewritten, never passed on, and quotes are not escaped.
/// </summary>
public sealed class ErrorShapeTests(FrontEndHost host) : IClassFixture<FrontEndHost>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Messages => new()
    {
        { "{", "The request body is not valid JSON." },
        { "", "The request body is empty: send a JSON object." },
        { "null", "The request body is empty: send a JSON object." },
        { "[]", "The request body must be a JSON object with the fields 'name', 'type', 'quantity', 'stock_name'." },
        { """{"name":"GOOG","quantity":1}""", "The field 'type' is required." },
        { """{"name":"GOOG"}""", "The fields 'type' and 'quantity' are required." },
        { """{"type":"buy","quantity":1}""", "The field 'name' (or 'stock_name') is required." },
        { """{"name":"GOOG","type":"hold","quantity":1}""", "The field 'type' must be one of \"buy\", \"sell\"." },
        { """{"name":"GOOG","type":1,"quantity":1}""", "The field 'type' must be one of \"buy\", \"sell\"." },
        { """{"name":"GOOG","type":"buy","quantity":1.5}""", "The field 'quantity' must be a whole number." },
        { """{"name":"GOOG","type":"buy","quantity":"2"}""", "The field 'quantity' must be a whole number." },
        { """{"name":"GOOG","type":"buy","quantity":0}""", "The field 'quantity' is out of range: it must be from 1 to 1000000." },
        { """{"name":"GOOG","type":"buy","quantity":99999999999999999999}""", "The field 'quantity' is out of range: it must be from 1 to 1000000." },
        { """{"name":"GOOG","type":"buy","quantity":1,"price":3}""", "Unknown field 'price'." },
        { """{"name":"GOOG","Type":"buy","quantity":1}""", "Unknown field 'Type'." },
        { """{"name":"GO.OG","type":"buy","quantity":1}""", "'GO.OG' is not a valid stock name: use 1 to 16 ASCII letters, digits, '-' or '_'." },
        { """{"name":5,"type":"buy","quantity":1}""", "The field 'name' must be a string." },
        { """{"name":"IBM","stock_name":"AMD","type":"buy","quantity":1}""", "The fields 'name' ('IBM') and 'stock_name' ('AMD') differ: send one of them." },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task PlaceOrder_BadBody_ContractSentenceNotForwarded(string body, string message)
    {
        var orders = host.Backend.OrderRequests;

        using var response = await PostOrderAsync(body);

        var error = await AssertErrorAsync(response, 400, ErrorTypes.BadRequest);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(orders, host.Backend.OrderRequests);
    }

    [Theory]
    [InlineData("""{"stock_name":"GOOG","type":"buy","quantity":1}""")]
    [InlineData("""{"name":"GOOG","stock_name":"GOOG","type":"buy","quantity":1}""")]
    public async Task PlaceOrder_AliasAloneOrAgreeing_Placed(string body)
    {
        using var response = await PostOrderAsync(body);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task PlaceOrder_NotJsonContentType_415Json()
    {
        using var response = await host.Client.PostAsync(
            "/orders", new StringContent("""{"name":"GOOG","type":"buy","quantity":1}""", Encoding.UTF8, "text/plain"), Token);

        await AssertErrorAsync(response, 415, ErrorTypes.UnsupportedMediaType);
    }

    [Fact]
    public async Task PlaceOrder_BodyPastTheLimit_413SaysTheLimit()
    {
        using var response = await PostOrderAsync("{\"name\":\"GOOG\",\"type\":\"buy\",\"quantity\":1,\"pad\":\"" + new string('x', 5000) + "\"}");

        var error = await AssertErrorAsync(response, 413, ErrorTypes.BodyTooLarge);
        Assert.Equal($"The request body is larger than the limit of {Limits.MaxRequestBodyBytes} bytes.", error.GetProperty("message").GetString());
    }

    /// <summary>
    /// A request that matches no route is answered as the contract says with or without the cluster credential (nothing
    /// runs for it); a newcomer's <c>curl -d</c> posts a form, and must hear 415, not that it needs the cluster key.
    /// </summary>
    [Theory]
    [InlineData("POST", "/orders", "text/plain", 415, ErrorTypes.UnsupportedMediaType)]
    [InlineData("POST", "/orders", "application/x-www-form-urlencoded", 415, ErrorTypes.UnsupportedMediaType)]
    [InlineData("DELETE", Routes.Orders, null, 405, ErrorTypes.MethodNotAllowed)]
    [InlineData("GET", "/no/such/route", null, 404, ErrorTypes.NotFound)]
    [InlineData("POST", "/invalidate/GOOG", "application/json", 401, ErrorTypes.Unauthorized)]
    public async Task Unsigned_RequestMatchingNoRoute_ContractErrorNot401_RoutesStillClosed(string method, string path, string? contentType, int status, string type)
    {
        using var unsigned = new HttpClient { BaseAddress = host.Client.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("""{"name":"GOOG","type":"buy","quantity":1}""", Encoding.UTF8, contentType);
        }

        var orders = host.Backend.OrderRequests;
        using var response = await unsigned.SendAsync(request, Token);

        await AssertErrorAsync(response, status, type);
        Assert.Equal(orders, host.Backend.OrderRequests);
    }

    [Fact]
    public async Task PlaceOrder_LeaderSaysKeyReused_422PassedThrough()
    {
        using var response = await PostOrderAsync("""{"name":"GOOG","type":"buy","quantity":1}""", StubBackend.ReusedKey);

        await AssertErrorAsync(response, 422, ErrorTypes.IdempotencyKeyReused);
    }

    [Fact]
    public async Task PlaceOrder_LeaderAnswersWithoutBody_TypedJsonError()
    {
        using var response = await PostOrderAsync("""{"name":"GOOG","type":"buy","quantity":1}""", StubBackend.BareConflictKey);

        await AssertErrorAsync(response, 409, ErrorTypes.BadRequest);
    }

    [Theory]
    [InlineData("DELETE", "/orders", 405, ErrorTypes.MethodNotAllowed)]
    [InlineData("PUT", "/stocks/GOOG", 405, ErrorTypes.MethodNotAllowed)]
    [InlineData("GET", "/no/such/route", 404, ErrorTypes.NotFound)]
    [InlineData("GET", "/stocks/NOPE", 404, ErrorTypes.UnknownStock)]
    public async Task Request_NoSuchRouteOrResource_TypedJsonError(string method, string path, int status, string type)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await host.Client.SendAsync(request, Token);

        await AssertErrorAsync(response, status, type);
    }

    [Fact]
    public async Task Request_UrlPastTheServiceLimit_414Json()
    {
        using var response = await host.Client.GetAsync("/stocks/" + new string('A', 3000), Token);

        await AssertErrorAsync(response, 414, ErrorTypes.UrlTooLong);
    }

    [Fact]
    public async Task Request_HeadersPastTheServiceLimit_431Json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stocks/GOOG");
        request.Headers.Add("X-Padding", new string('x', 10_000));

        using var response = await host.Client.SendAsync(request, Token);

        await AssertErrorAsync(response, 431, ErrorTypes.HeadersTooLarge);
    }

    [Fact]
    public async Task Request_UrlPastKestrelsHardLimit_Bare414()
    {
        using var response = await host.Client.GetAsync("/stocks/" + new string('A', 9000), Token);

        Assert.Equal(414, (int)response.StatusCode);
    }

    [Fact]
    public async Task ListStocks_CatalogAnswers_EveryStockWithQuantity()
    {
        using var response = await host.Client.GetAsync("/stocks", Token);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(
            """{"data":[{"name":"GOOG","price":141.2,"quantity":100,"version":0},{"name":"APPL","price":189.5,"quantity":42,"version":3}]}""",
            await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task ListStocks_CatalogDown_503CatalogUnavailable()
    {
        using var catalogDown = RefusingPort.Hold();
        var (app, client) = await FrontEndHost.StartAsync(catalogDown.Url, host.Backend.Url);
        await using (app)
        using (client)
        {
            using var response = await client.GetAsync("/stocks", Token);

            await AssertErrorAsync(response, 503, ErrorTypes.CatalogUnavailable);
        }
    }

    private async Task<HttpResponseMessage> PostOrderAsync(string body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(MediaTypes.Json)),
        };
        if (key is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        }

        return await host.Client.SendAsync(request, Token);
    }

    internal static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string type)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(MediaTypes.Json, response.Content.Headers.ContentType?.MediaType);
        var raw = await response.Content.ReadAsStringAsync(Token);
        Assert.DoesNotContain("\\u00", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        var error = json.RootElement.GetProperty("error").Clone();
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        return error;
    }
}
