using System.Globalization;
using ScottPlot;

namespace StockNet.Chaos;

/// <summary>
/// timeline.png: what each fault cost the clients and how long the system took to recover. Three panels on one time
/// axis: trades per second, lookups per second (succeeded and failed), and the p99 latency of each second. Every
/// fault is a shaded span from its start to its heal, labelled with its kind and target; each election seen is a
/// dashed line.
/// </summary>
internal static class TimelinePlot
{
    public const string FileName = "timeline.png";

    private const int Width = 1600;
    private const int PanelHeight = 300;

    private static readonly Dictionary<FaultKind, Color> FaultColors = new()
    {
        [FaultKind.Kill] = Colors.Red,
        [FaultKind.Pause] = Colors.Orange,
        [FaultKind.Partition] = Colors.Purple,
        [FaultKind.Slow] = Colors.Teal,
    };

    public static void Save(ChaosSummary summary, Timeline timeline, string path)
    {
        var seconds = timeline.Seconds;
        double[] xs = [.. seconds.Select(second => (double)second.Second)];
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        DrawCounts(multiplot.GetPlot(0), xs, seconds, TimelineKind.Trade, "trades/s");
        DrawCounts(multiplot.GetPlot(1), xs, seconds, TimelineKind.Lookup, "lookups/s");
        var latency = multiplot.GetPlot(2);
        latency.Add.Scatter(xs, [.. seconds.Select(second => second.Counts.P99Ms())]).LegendText = "p99 of requests begun that second";
        latency.Axes.Left.Label.Text = "p99 (ms)";
        latency.Axes.Bottom.Label.Text = "seconds since the load began";
        for (var i = 0; i < 3; i++)
        {
            MarkFaults(multiplot.GetPlot(i), summary, labels: i == 0);
        }

        multiplot.GetPlot(0).Title(Title(summary));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        multiplot.SavePng(path, Width, PanelHeight * 3);
    }

    private static string Title(ChaosSummary summary) => string.Create(
        CultureInfo.InvariantCulture,
        $"stocknet chaos, seed {summary.Seed}: {summary.Clients} clients, {summary.FrontEnds} front-end(s){(summary.Hosts ? ", a host each" : "")}, "
        + $"{summary.Faults.Count} faults, {summary.ElectionsAtSeconds.Count} elections (dashed); shaded: fault to heal");

    private static void DrawCounts(Plot plot, double[] xs, IReadOnlyList<(int Second, TimelineSecond Counts)> seconds, TimelineKind kind, string label)
    {
        var ok = plot.Add.Scatter(xs, [.. seconds.Select(second => (double)second.Counts.Count(kind, succeeded: true))]);
        ok.LegendText = "succeeded";
        ok.Color = Colors.C0;
        var failed = plot.Add.Scatter(xs, [.. seconds.Select(second => (double)second.Counts.Count(kind, succeeded: false))]);
        failed.LegendText = "failed";
        failed.Color = Colors.Red;
        plot.Axes.Left.Label.Text = label;
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void MarkFaults(Plot plot, ChaosSummary summary, bool labels)
    {
        var row = 0;
        foreach (var fault in summary.Faults)
        {
            var color = FaultColors.GetValueOrDefault(fault.Kind, Colors.Gray);
            var span = plot.Add.HorizontalSpan(fault.At.TotalSeconds, (fault.At + fault.Hold).TotalSeconds);
            span.FillStyle.Color = color.WithAlpha(0.15);
            span.LineStyle.Width = 0;
            if (labels)
            {
                // Staggered down the panel so neighbouring labels do not print over each other.
                var text = plot.Add.Text($"{fault.Kind.ToString().ToLowerInvariant()} {fault.Service}", fault.At.TotalSeconds, 0);
                text.LabelFontColor = color;
                text.LabelFontSize = 10;
                text.LabelRotation = -90;
                text.LabelAlignment = Alignment.LowerLeft;
                text.Location = new Coordinates(fault.At.TotalSeconds, row++ % 4);
            }
        }

        foreach (var election in summary.ElectionsAtSeconds)
        {
            var line = plot.Add.VerticalLine(election);
            line.LineColor = Colors.Black.WithAlpha(0.5);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1;
        }
    }
}
