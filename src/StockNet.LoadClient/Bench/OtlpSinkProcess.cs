using System.Globalization;
using StockNet.Cluster;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// The bench's OTLP sink as a child process (<c>stocknet otlp-sink</c>): on the same two cores as everything else,
/// but its CPU time is its own, so the bench reports what receiving the exports cost apart from what sending
/// them cost the services.
/// </summary>
internal sealed class OtlpSinkProcess : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    private OtlpSinkProcess(ServiceProcess process) => _process = process;

    public Uri Url => _process.BaseUrl;

    public int? ProcessId => _process.ProcessId;

    /// <summary>Exports and bytes received, known once the sink has stopped.</summary>
    public (long Requests, long Bytes)? Received { get; private set; }

    /// <summary>On a free port, on another when that one was taken before the sink bound it.</summary>
    public static Task<OtlpSinkProcess> StartAsync(CancellationToken cancellationToken) =>
        PortRace.RetryAsync(() => StartOnceAsync(cancellationToken));

    private static async Task<OtlpSinkProcess> StartOnceAsync(CancellationToken cancellationToken)
    {
        var port = FreePorts.Take(FreePorts.Loopback, 1)[0];
        var process = new ServiceProcess(
            OtlpSink.CommandName,
            new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"),
            StockNetExecutable.FromCurrentProcess(),
            [OtlpSink.CommandName, "--port", port.ToString(CultureInfo.InvariantCulture), "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            process.Start();
            await process.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new OtlpSinkProcess(process);
    }

    /// <summary>Stops the sink and reads back what it received (its last line).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _process.StopAsync(cancellationToken);
        var summary = _process.RecentLogs().LastOrDefault(line => line.StartsWith(OtlpSink.SummaryPrefix, StringComparison.Ordinal));
        var parts = summary?[OtlpSink.SummaryPrefix.Length..].Split(' ');
        if (parts is [var requests, var bytes])
        {
            Received = (long.Parse(requests, CultureInfo.InvariantCulture), long.Parse(bytes, CultureInfo.InvariantCulture));
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
