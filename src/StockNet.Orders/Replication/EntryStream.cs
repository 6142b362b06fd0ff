using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StockNet.Contracts;

namespace StockNet.Orders.Replication;

/// <summary>
/// Writes <c>{"data": [entries]}</c> as the entries are read, flushing every <see cref="FlushEvery"/>, so a
/// response over a long history costs one page of memory, not the whole answer.
/// </summary>
internal sealed class EntryStream(IEnumerable<OrderEntry> entries) : IResult
{
    public const int FlushEvery = 256;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaTypes.JsonUtf8;
        var body = response.BodyWriter;
        var cancellationToken = httpContext.RequestAborted;
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        var written = 0;
        foreach (var entry in entries)
        {
            JsonSerializer.Serialize(writer, entry, StockNetJsonContext.Default.OrderEntry);
            if (++written % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }
}
