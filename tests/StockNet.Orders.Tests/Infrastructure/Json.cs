using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.Orders.Tests.Infrastructure;

internal static class Json
{
    public static async Task<ErrorBody> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Deserialize(text, StockNetJsonContext.Default.ApiError)!.Error;
    }
}
