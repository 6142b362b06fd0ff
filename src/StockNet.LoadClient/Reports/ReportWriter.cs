using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Reports;

/// <summary>Writes the output folder: results.json, samples.csv (so any plot can be redrawn) and the PNG plots.</summary>
public static class ReportWriter
{
    public const string ResultsFile = "results.json";
    public const string SamplesFile = "samples.csv";
    public const string CacheEventsFile = "cache_events.csv";

    /// <summary>Writes every file and returns their names.</summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(LoadReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await using (var json = File.Create(Path.Combine(directory, ResultsFile)))
        {
            await JsonSerializer.SerializeAsync(json, report, LoadClientJsonContext.Default.LoadReport, cancellationToken);
        }

        await WriteSamplesAsync(report, Path.Combine(directory, SamplesFile), cancellationToken);
        var plots = LatencyPlot.SaveAll(report, directory);
        var written = new List<string> { ResultsFile, SamplesFile };
        written.AddRange(plots);
        var cachePlots = CachePlot.SaveAll(report, directory);
        if (cachePlots.Count > 0)
        {
            await WriteCacheEventsAsync(report, Path.Combine(directory, CacheEventsFile), cancellationToken);
            written.AddRange([.. cachePlots, CacheEventsFile]);
        }

        return written;
    }

    /// <summary>The events behind cache.png: milliseconds since the run started, the event and the stock.</summary>
    public static async Task WriteCacheEventsAsync(LoadReport report, string path, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync("cache,p,t_ms,kind,name");
        foreach (var run in report.Runs.Where(run => run.CacheTimeline.Available))
        {
            var p = ProbabilityList.Format(run.P);
            foreach (var e in run.CacheTimeline.Events)
            {
                await writer.WriteLineAsync(
                    string.Create(CultureInfo.InvariantCulture, $"{run.Cache},{p},{e.AtUnixMs - run.CacheTimeline.StartUnixMs},{e.Kind},{e.Name}").AsMemory(), cancellationToken);
            }
        }
    }

    public static async Task WriteSamplesAsync(LoadReport report, string path, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync("cache,p,request,latency_us,status,start_ms");
        var line = new StringBuilder();
        foreach (var run in report.Runs)
        {
            var p = ProbabilityList.Format(run.P);
            var runStart = run.Samples.Count == 0 ? 0 : run.Samples.Min(sample => sample.StartTimestamp);
            foreach (var sample in run.Samples)
            {
                line.Clear()
                    .Append(run.Cache).Append(',')
                    .Append(p).Append(',')
                    .Append(RequestKinds.Label(sample.Kind)).Append(',')
                    .Append(sample.LatencyMicroseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(',')
                    .Append(sample.Status.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(Stopwatch.GetElapsedTime(runStart, sample.StartTimestamp).TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture));
                await writer.WriteLineAsync(line, cancellationToken);
            }
        }
    }
}
