using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Tests.Api;

public sealed class BadRequestTests(FrontEndHost host) : IClassFixture<FrontEndHost>
{
    private const string Order = "/orders";

    public static TheoryData<string, string, string?, int> Cases => new()
    {
        { "POST", Order, "{", 400 },
        { "POST", Order, "", 400 },
        { "POST", Order, "[]", 400 },
        { "POST", Order, "[{\"name\":\"GOOG\",\"type\":\"buy\",\"quantity\":1}]", 400 },
        { "POST", Order, "\"GOOG\"", 400 },
        { "POST", Order, "null", 400 },
        { "POST", Order, "{}", 400 },
        { "POST", Order, """{"type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy"}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":1,"price":3}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"hold","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"BUY","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":3,"quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":null,"quantity":1}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":0}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":-3}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":1.5}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":"ten"}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":1e12}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":1000000000000}""", 400 },
        { "POST", Order, """{"name":"GOOG","type":"buy","quantity":null}""", 400 },
        { "POST", Order, """{"name":"GO.OG","type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GO OG","type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":"GÖÖG","type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":"ABCDEFGHIJKLMNOPQ","type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":"","type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"name":5,"type":"buy","quantity":1}""", 400 },
        { "POST", Order, """{"stock_name":"GOOG","type":"sell","quantity":-1}""", 400 },
        { "POST", Order, "{\"name\":\"GOOG\",\"type\":\"buy\",\"quantity\":1,\"pad\":\"" + new string('x', 5000) + "\"}", 413 },
        { "GET", "/stocks/GO.OG", null, 400 },
        { "GET", "/stocks/GO%20OG", null, 400 },
        { "GET", "/stocks/G%C3%96%C3%96G", null, 400 },
        { "GET", "/stocks/ABCDEFGHIJKLMNOPQ", null, 400 },
        { "GET", "/stocks/GOOG%21", null, 400 },
        { "GET", "/stocks/%2E%2E", null, 404 },
        { "GET", "/orders/-1", null, 400 },
        { "GET", "/orders/abc", null, 400 },
        { "GET", "/orders/1.5", null, 400 },
        { "GET", "/orders/99999999999999999999", null, 400 },
        { "GET", "/orders/+1", null, 400 },
        { "GET", "/orders/%201", null, 400 },
        { "GET", "/orders/1e3", null, 400 },
        { "POST", "/invalidate/GO.OG", null, 400 },
        { "DELETE", Order, null, 405 },
        { "GET", "/no/such/route", null, 404 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_Malformed_ClearErrorAndNothingForwarded(string method, string path, string? body, int expectedStatus)
    {
        var (lookups, orders) = (host.Backend.StockLookups, host.Backend.OrderRequests);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(MediaTypes.Json));
        }

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal(MediaTypes.Json, response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(expectedStatus, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.Equal(lookups, host.Backend.StockLookups);
        Assert.Equal(orders, host.Backend.OrderRequests);
    }

    [Fact]
    public async Task PlaceOrder_IdempotencyKeyTooLong_BadRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Order)
        {
            Content = new StringContent("""{"name":"GOOG","type":"buy","quantity":1}""", Encoding.UTF8, MediaTypes.Json),
        };
        request.Headers.Add(Routes.IdempotencyKeyHeader, new string('k', 129));

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(400, (int)response.StatusCode);
    }
}
