using ScottPlot;
using StockNet.Contracts;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// cache.png: the front-end cache's contents over each run with the cache on, one panel per trade probability.
/// A row per stock; a bar where the stock was cached, so replacement reads as bars ending and others starting;
/// marks for each hit, miss, eviction and invalidation. Drawn from the events the front-end reported
/// (<see cref="CacheWatcher"/>), whose raw rows are in cache_events.csv.
/// </summary>
public static class CachePlot
{
    public const string FileName = "cache.png";

    private static readonly (string Kind, string Label, Color Color, MarkerShape Shape, float Size)[] Marks =
    [
        (CacheEventKinds.Hit, "hit", Colors.Green.WithAlpha(0.55), MarkerShape.FilledCircle, 4),
        (CacheEventKinds.Miss, "miss", Colors.Orange, MarkerShape.FilledCircle, 7),
        (CacheEventKinds.Evict, "eviction", Colors.Purple, MarkerShape.Eks, 11),
        (CacheEventKinds.Invalidate, "invalidation", Colors.Red, MarkerShape.VerticalBar, 13),
        (CacheEventKinds.Refused, "refused put", Colors.Gray, MarkerShape.OpenCircle, 9),
    ];

    /// <summary>Saves the plot when some run recorded cache events, and returns its file name (none otherwise).</summary>
    public static IReadOnlyList<string> SaveAll(LoadReport report, string directory)
    {
        var runs = report.Runs.Where(run => run.CacheTimeline is { Available: true } timeline && timeline.Events.Count > 0).ToArray();
        if (runs.Length == 0)
        {
            return [];
        }

        var stocks = Stocks(report, runs);
        var multiplot = new Multiplot();
        multiplot.AddPlots(runs.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        for (var i = 0; i < runs.Length; i++)
        {
            DrawPanel(multiplot.GetPlot(i), runs[i], stocks);
        }

        multiplot.SavePng(Path.Combine(directory, FileName), 1500, Math.Max(360, (90 + (28 * stocks.Count)) * runs.Length));
        return [FileName];
    }

    // The sweep's stocks in their order, then any other name the cache saw.
    private static List<string> Stocks(LoadReport report, RunResult[] runs)
    {
        var stocks = report.Stocks.ToList();
        foreach (var name in runs.SelectMany(run => run.CacheTimeline.Events).Select(e => e.Name))
        {
            if (name.Length > 0 && !stocks.Contains(name))
            {
                stocks.Add(name);
            }
        }

        return stocks;
    }

    private static void DrawPanel(Plot plot, RunResult run, List<string> stocks)
    {
        var timeline = run.CacheTimeline;
        double Row(string name) => stocks.Count - 1 - stocks.IndexOf(name);
        double Seconds(CacheEventView e) => (e.AtUnixMs - timeline.StartUnixMs) / 1000.0;
        var end = Math.Max(run.ElapsedSeconds, timeline.Events.Count > 0 ? Seconds(timeline.Events[^1]) : 0);

        var bars = plot.Add.Bars(Presence(timeline, end, Seconds).Select(span => new Bar
        {
            Position = Row(span.Name),
            ValueBase = span.From,
            Value = span.To,
            Size = 0.6,
            FillColor = Colors.SteelBlue.WithAlpha(0.35),
            LineWidth = 0,
        }).ToList());
        bars.Horizontal = true;
        bars.LegendText = "cached";

        foreach (var (kind, label, color, shape, size) in Marks)
        {
            var events = timeline.Events.Where(e => e.Kind == kind && stocks.Contains(e.Name)).ToArray();
            if (events.Length == 0)
            {
                continue;
            }

            var points = plot.Add.ScatterPoints(events.Select(Seconds).ToArray(), events.Select(e => Row(e.Name)).ToArray(), color);
            points.MarkerShape = shape;
            points.MarkerSize = size;
            points.LegendText = label;
        }

        plot.Axes.Left.SetTicks([.. stocks.Select(Row)], [.. stocks]);
        plot.Axes.SetLimits(0, Math.Max(end, 0.1), -0.7, stocks.Count - 0.3);
        var missed = timeline.Missed > 0 ? $" ({timeline.Missed} events not read in time)" : "";
        plot.Title($"cache {run.Cache}, p = {ProbabilityList.Format(run.P)}: what is cached over the run{missed}");
        plot.XLabel("seconds since the run started");
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>Each stretch a stock spent in the cache: from its put (or the start) to its eviction, invalidation, expiry or a clear.</summary>
    private static List<(string Name, double From, double To)> Presence(CacheTimeline timeline, double end, Func<CacheEventView, double> seconds)
    {
        var spans = new List<(string, double, double)>();
        var since = timeline.Initial.ToDictionary(entry => entry.Name, _ => 0.0);
        foreach (var e in timeline.Events)
        {
            var at = seconds(e);
            switch (e.Kind)
            {
                case CacheEventKinds.Put:
                    since.TryAdd(e.Name, at);
                    break;
                case CacheEventKinds.Evict or CacheEventKinds.Invalidate or CacheEventKinds.Expire:
                    if (since.Remove(e.Name, out var from))
                    {
                        spans.Add((e.Name, from, at));
                    }

                    break;
                case CacheEventKinds.Clear:
                    spans.AddRange(since.Select(pair => (pair.Key, pair.Value, at)));
                    since.Clear();
                    break;
            }
        }

        spans.AddRange(since.Select(pair => (pair.Key, pair.Value, end)));
        return spans;
    }
}
