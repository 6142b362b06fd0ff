using System.Diagnostics;
using System.Globalization;
using StockNet.Contracts;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// Runs <c>wrk</c> (a C load generator, far cheaper per request than HttpClient) against the same front-end,
/// so a low figure can be told apart: if wrk gets much more, the .NET client was the bottleneck, not the service.
/// Trades are what the bench's own trades are: each a new order with its own idempotency key, a sell of one
/// share and then its buy-back, stock after stock, so none is ever refused for lack of stock.
/// </summary>
public static class WrkCrossCheck
{
    // wrk runs one Lua state per thread: setup numbers the threads, so every thread's keys are its own.
    private const string TradeScript = $$"""
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("id", threads)
        end
        local stocks = { "APPL", "GOOG", "MSFT", "AMZN", "TSLA" }
        local n = 0
        local run = tostring(os.time())
        request = function()
          n = n + 1
          local stock = stocks[(math.floor((n - 1) / 2) % #stocks) + 1]
          local side = (n % 2 == 1) and "sell" or "buy"
          local headers = { ["Content-Type"] = "{{MediaTypes.Json}}", ["{{Routes.IdempotencyKeyHeader}}"] = "wrk-" .. run .. "-" .. id .. "-" .. n }
          return wrk.format("POST", nil, headers, '{"name":"' .. stock .. '","type":"' .. side .. '","quantity":1}')
        end
        """;

    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "wrk")));

    public static async Task<ThroughputResult?> LookupAsync(Uri frontEnd, string scenario, int connections, TimeSpan duration, CancellationToken cancellationToken) =>
        await RunAsync(scenario, new Uri(frontEnd, Routes.Stock("GOOG")), connections, duration, script: null, cancellationToken);

    /// <summary>Queries of order 0, which exists once any trade was placed.</summary>
    public static async Task<ThroughputResult?> OrderQueryAsync(Uri frontEnd, int connections, TimeSpan duration, CancellationToken cancellationToken) =>
        await RunAsync(BenchTargets.WrkPrefix + "order-query", new Uri(frontEnd, Routes.Order(0)), connections, duration, script: null, cancellationToken);

    /// <summary>The trades' Lua script, for <c>stocknet bench --wrk-script</c> and the skeleton's comparison (bench/skeleton.sh).</summary>
    public static Task WriteTradeScriptAsync(string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, TradeScript, cancellationToken);

    public static async Task<ThroughputResult?> TradeAsync(Uri frontEnd, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"stocknet-wrk-{Guid.NewGuid():N}.lua");
        await WriteTradeScriptAsync(script, cancellationToken);
        try
        {
            return await RunAsync(BenchTargets.WrkPrefix + "trade", new Uri(frontEnd, Routes.Orders), connections, duration, script, cancellationToken);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<ThroughputResult?> RunAsync(
        string scenario, Uri url, int connections, TimeSpan duration, string? script, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency" })
        {
            info.ArgumentList.Add(argument);
        }

        if (script is not null)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(script);
        }

        info.ArgumentList.Add(url.ToString());
        using var process = Process.Start(info);
        if (process is null)
        {
            return null;
        }

        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? Parse(scenario, connections, output) : null;
    }

    /// <summary>Reads wrk's summary: Requests/sec, the 50% and 99% lines of --latency, the request count and the failures.</summary>
    public static ThroughputResult? Parse(string scenario, int connections, string output)
    {
        double? rps = null, p50 = null, p99 = null, seconds = null;
        long requests = 0, errors = 0;
        foreach (var raw in output.Split('\n'))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["Requests/sec:", var value]:
                    rps = double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case ["50%", var value]:
                    p50 = Milliseconds(value);
                    break;
                case ["99%", var value]:
                    p99 = Milliseconds(value);
                    break;
                case [var count, "requests", "in", var time, ..]:
                    requests = long.Parse(count, CultureInfo.InvariantCulture);
                    seconds = Milliseconds(time.TrimEnd(',')) / 1000;
                    break;
                case ["Non-2xx", "or", "3xx", "responses:", var count]:
                    errors += long.Parse(count, CultureInfo.InvariantCulture);
                    break;
                case ["Socket", "errors:", ..]:
                    errors += parts.Skip(2).Where((_, i) => i % 2 == 1).Sum(n => long.Parse(n.TrimEnd(','), CultureInfo.InvariantCulture));
                    break;
                default:
                    break;
            }
        }

        return rps is null || p50 is null || p99 is null
            ? null
            : new ThroughputResult(scenario, connections, requests, errors, seconds ?? 0, rps.Value, double.NaN, p50.Value, p99.Value, double.NaN);
    }

    /// <summary>wrk writes durations as 812.00us, 1.20ms or 2.00s.</summary>
    private static double Milliseconds(string text)
    {
        var (number, factor) = text switch
        {
            _ when text.EndsWith("us", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ => (text, 1.0),
        };
        return double.Parse(number, CultureInfo.InvariantCulture) * factor;
    }
}
