using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.Hosting;

namespace StockNet.Orders;

/// <summary>
/// What replicas ask each other to find where their logs agree and to exchange only what follows (see
/// <see cref="OrderLog"/>'s append sequence): the position, the suffix after a position, and entries by number.
/// </summary>
public static class LogSyncApi
{
    public static RouteGroupBuilder MapLogSyncApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Log sync");
        group.MapGet(Routes.LogPosition, GetPosition).WithName("GetLogPosition");
        group.MapGet(Routes.LogSuffix + "/{index}", GetSuffix).WithName("GetLogSuffix");
        group.MapPost(Routes.LogEntries, GetEntriesAsync).WithName("GetLogEntries");
        return group;
    }

    private static Ok<LogPositionReply> GetPosition(OrderLog log) => TypedResults.Ok(log.History.ToReply());

    private static Results<SuffixStream, JsonHttpResult<ApiError>> GetSuffix(string index, string? epoch, OrderLog log)
    {
        if (!long.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            || !long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var epochAtAfter))
        {
            return ApiResults.BadRequest("The path must be /log/suffix/{index} with a non-negative index and ?epoch= a non-negative integer.", ErrorTypes.BadRequest);
        }

        var suffix = log.OpenSuffix(after, epochAtAfter);
        return suffix is null
            ? ApiResults.Error(StatusCodes.Status409Conflict, $"This log does not hold the write at index {after} of epoch {epoch}.", ErrorTypes.LogDiverged)
            : new SuffixStream(suffix, after);
    }

    private static async Task<Results<Ok<DataEnvelope<LogRecord[]>>, JsonHttpResult<ApiError>>> GetEntriesAsync(
        HttpRequest request, OrderLog log, CancellationToken cancellationToken)
    {
        DataEnvelope<long[]>? numbers;
        try
        {
            numbers = JsonSerializer.Deserialize(await RequestBody.ReadAsync(request, cancellationToken), StockNetJsonContext.Default.DataEnvelopeInt64Array);
        }
        catch (JsonException)
        {
            numbers = null;
        }

        if (numbers?.Data is not { Length: <= LogSync.MaxNumbers } wanted)
        {
            return ApiResults.BadRequest($"The body must be {{\"data\": [transaction numbers]}} with at most {LogSync.MaxNumbers} numbers.", ErrorTypes.BadRequest);
        }

        return TypedResults.Ok(new DataEnvelope<LogRecord[]>([.. log.ReadRecords(wanted)]));
    }

    /// <summary>Streams a snapshot's rows as a JSON array, its position in headers, then ends the snapshot.</summary>
    private sealed class SuffixStream(LogSuffix suffix, long after) : IResult
    {
        private const int FlushEvery = 256;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (suffix)
            {
                var response = httpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = MediaTypes.JsonUtf8;
                response.Headers[Routes.LogThroughHeader] = suffix.History.LastIndex.ToString(CultureInfo.InvariantCulture);
                response.Headers[Routes.LogEpochsHeader] = LogSync.FormatEpochs(suffix.History.After(after));
                var cancellationToken = httpContext.RequestAborted;
                await using var writer = new Utf8JsonWriter(response.BodyWriter);
                writer.WriteStartArray();
                var written = 0;
                foreach (var record in suffix.Records())
                {
                    JsonSerializer.Serialize(writer, record, StockNetJsonContext.Default.LogRecord);
                    if (++written % FlushEvery == 0)
                    {
                        await writer.FlushAsync(cancellationToken);
                        await response.BodyWriter.FlushAsync(cancellationToken);
                    }
                }

                writer.WriteEndArray();
                await writer.FlushAsync(cancellationToken);
            }
        }
    }
}
