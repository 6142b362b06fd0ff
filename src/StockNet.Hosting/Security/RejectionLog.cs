using Microsoft.Extensions.Logging;

namespace StockNet.Hosting.Security;

/// <summary>
/// Logs refused credentials at most once per <see cref="Interval"/>, with the count since the last line, so a
/// flood of bad requests cannot flood the log. It never sees the key.
/// </summary>
internal sealed partial class RejectionLog(ILogger<RejectionLog> logger, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _suppressed;
    private long? _lastAt;

    public void Refused(string method, string path, string? remote, string reason)
    {
        long count;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastAt is { } last && time.GetElapsedTime(last, now) < Interval)
            {
                _suppressed++;
                return;
            }

            count = _suppressed;
            _suppressed = 0;
            _lastAt = now;
        }

        Log(logger, method, path, remote ?? "unknown", reason, count);
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} from {Remote}: {Reason} ({Suppressed} more refused since the last such line)")]
    private static partial void Log(ILogger logger, string method, string path, string remote, string reason, long suppressed);
}
