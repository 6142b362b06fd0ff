using System.Net;
using System.Net.Http.Headers;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Tests.Api;

/// <summary>The read-only routes with <c>Metrics:Token</c> set: the token opens them, nothing else does, and other routes are untouched.</summary>
public sealed class ReadOnlyAccessTests : IAsyncLifetime
{
    private const string Token = "read-only-test-token";

    private StubBackend _backend = null!;
    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _backend = await StubBackend.StartAsync(TestContext.Current.CancellationToken);
        (_app, _client) = await FrontEndHost.StartAsync(_backend.Url, _backend.Url, $"--Metrics:Token={Token}");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Theory]
    [InlineData(Routes.Metrics)]
    [InlineData(Routes.Status)]
    [InlineData(Routes.CacheContents)]
    [InlineData(Routes.Dashboard)]
    public async Task ReadOnlyRoute_WithoutToken_Is401WithJsonError(string path)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"code\":401", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(Routes.Metrics)]
    [InlineData(Routes.CacheContents)]
    [InlineData(Routes.Dashboard)]
    public async Task ReadOnlyRoute_WithBearerToken_Answers(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithTokenInQuery_Answers()
    {
        using var response = await _client.GetAsync($"{Routes.Dashboard}?token={Token}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReadOnlyRoute_WrongToken_Is401()
    {
        using var response = await _client.GetAsync($"{Routes.CacheContents}?token=wrong", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DashboardScript_WithoutToken_IsServed()
    {
        using var response = await _client.GetAsync(Routes.Dashboard + "/dashboard.js", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PublicRoute_WithoutToken_IsUntouched()
    {
        using var response = await _client.GetAsync(Routes.CacheStats, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
