namespace StockNet.Skeleton;

/// <summary>One keep-alive HTTP/1.1 client for every call of the process, as the services' protocol client is.</summary>
internal sealed class Hop : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async Task<byte[]> PostAsync(string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(System.Net.Mime.MediaTypeNames.Application.Json);
        using var response = await _http.PostAsync(new Uri(url), content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _http.Dispose();
}
