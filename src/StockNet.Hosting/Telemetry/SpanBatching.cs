using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;

namespace StockNet.Hosting.Telemetry;

/// <summary>
/// How spans wait for export: a queue that holds more than a second of spans at full speed, sent 4,096 at a time.
/// The SDK's defaults (2,048 queued, 512 per export) drop spans whenever the exporter's thread waits a few
/// milliseconds for a core at tens of thousands of requests a second, and pay an export's fixed cost (an HTTP post,
/// the resource written again) eight times as often. The standard <c>OTEL_BSP_*</c> variables still decide when set.
/// </summary>
internal static class SpanBatching
{
    public const int MaxQueueSize = 65536;
    public const int MaxExportBatchSize = 4096;
    public const int ScheduledDelayMilliseconds = 500;

    public static void Apply(BatchExportProcessorOptions<Activity> options, IConfiguration configuration)
    {
        if (configuration["OTEL_BSP_MAX_QUEUE_SIZE"] is null)
        {
            options.MaxQueueSize = MaxQueueSize;
        }

        if (configuration["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] is null)
        {
            options.MaxExportBatchSize = Math.Min(MaxExportBatchSize, options.MaxQueueSize);
        }

        if (configuration["OTEL_BSP_SCHEDULE_DELAY"] is null)
        {
            options.ScheduledDelayMilliseconds = ScheduledDelayMilliseconds;
        }
    }
}
