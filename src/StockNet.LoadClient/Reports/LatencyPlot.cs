using System.Globalization;
using ScottPlot;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// latency.png: a grid with one column per request type and one row per statistic (mean, p50, p99), latency
/// against the trade probability p, one line per cache setting. Cache on and off share each panel's axes,
/// so the effect of the cache reads as the gap between two lines and the effect of p as their slope. The
/// median row is there because on a shared machine a few slow requests move the mean more than the cache does.
/// A header above the grid names the run's settings and holds the one legend, so no legend covers a line; each
/// p tick carries the number of samples behind the points above it.
/// </summary>
public static class LatencyPlot
{
    public const string FileName = "latency.png";

    private const int HeaderHeight = 70;
    private const int PanelWidth = 500;
    private const int PanelHeight = 300;

    private static readonly (string Name, Func<LatencySummary, double> Value)[] Statistics =
    [
        ("mean", summary => summary.MeanMs),
        ("p50", summary => summary.P50Ms),
        ("p99", summary => summary.P99Ms),
    ];

    private static readonly Color[] SettingColors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];

    /// <summary>Saves the plots and returns their file names.</summary>
    public static IReadOnlyList<string> SaveAll(LoadReport report, string directory)
    {
        var settings = report.Runs.Select(run => run.Cache).Distinct().ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(1 + (Statistics.Length * RequestKinds.All.Length));
        multiplot.Layout = new HeaderAboveGrid(HeaderHeight, Statistics.Length, RequestKinds.All.Length);
        DrawHeader(multiplot.GetPlot(0), report, settings);
        for (var row = 0; row < Statistics.Length; row++)
        {
            for (var column = 0; column < RequestKinds.All.Length; column++)
            {
                var plot = multiplot.GetPlot(1 + (row * RequestKinds.All.Length) + column);
                DrawPanel(plot, report, settings, RequestKinds.All[column], Statistics[row]);
            }
        }

        multiplot.SavePng(Path.Combine(directory, FileName), PanelWidth * RequestKinds.All.Length, HeaderHeight + (PanelHeight * Statistics.Length));
        return [FileName];
    }

    /// <summary>The settings that make the figures comparable with another run's.</summary>
    public static string Title(LoadReport report, IReadOnlyList<string> settings) => string.Create(
        CultureInfo.InvariantCulture,
        $"stocknet load: {report.Clients} clients x {report.Iterations} iterations, think 0-{report.MaxThinkMs:0.#} ms, seed {report.Seed}, " +
        $"cache {string.Join(" and ", settings)}, {report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. n under each p: samples per point.");

    /// <summary>The tick under one p: the value, and how many samples each point there stands on (one count per cache setting when they differ).</summary>
    public static string TickLabel(double p, IEnumerable<long> counts)
    {
        var distinct = counts.Distinct().ToArray();
        var n = string.Join("/", distinct.Select(count => count.ToString(CultureInfo.InvariantCulture)));
        return $"{ProbabilityList.Format(p)}{Environment.NewLine}n={(distinct.Length == 0 ? "0" : n)}";
    }

    private static void DrawHeader(Plot header, LoadReport report, string[] settings)
    {
        header.HideAxesAndGrid();
        header.Title(Title(report, settings), size: 16);
        var items = settings.Select((setting, i) => new LegendItem { LabelText = $"cache {setting}", LineColor = SettingColors[i % SettingColors.Length], LineWidth = 2, MarkerColor = SettingColors[i % SettingColors.Length], MarkerShape = MarkerShape.FilledCircle, MarkerSize = 8 });
        header.ShowLegend(items, Alignment.MiddleCenter);
        header.Legend.Orientation = Orientation.Horizontal;
    }

    private static void DrawPanel(
        Plot plot, LoadReport report, string[] settings, RequestKind kind, (string Name, Func<LatencySummary, double> Value) statistic)
    {
        var highest = 0.0;
        for (var i = 0; i < settings.Length; i++)
        {
            // A request type with no samples at some p (no trades at p = 0) is left out of the line, not drawn as zero.
            var runs = report.Runs.Where(run => run.Cache == settings[i] && run.For(kind).Count > 0).OrderBy(run => run.P).ToArray();
            if (runs.Length == 0)
            {
                continue;
            }

            var ys = runs.Select(run => statistic.Value(run.For(kind))).ToArray();
            var line = plot.Add.Scatter(runs.Select(run => run.P).ToArray(), ys);
            line.Color = SettingColors[i % SettingColors.Length];
            line.LineWidth = 2;
            line.MarkerSize = 8;
            highest = Math.Max(highest, ys.Max());
        }

        plot.Title($"{RequestKinds.Label(kind)}: {statistic.Name} latency");
        plot.XLabel("trade probability p");
        plot.YLabel("ms");
        var ps = report.Runs.Select(run => run.P).Distinct().Order().ToArray();
        var labels = ps.Select(p => TickLabel(p, report.Runs.Where(run => run.P == p && run.For(kind).Count > 0).Select(run => run.For(kind).Count))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ps, labels);

        // Zero-based y: a gap between lines should look as large as it is. x ends at the last p, with room for the markers.
        var margin = ps.Length > 1 ? (ps[^1] - ps[0]) * 0.08 : 0.05;
        plot.Axes.SetLimits(ps.FirstOrDefault() - margin, ps.LastOrDefault() + margin, 0, highest > 0 ? highest * 1.25 : 1);
    }

    /// <summary>A fixed-height header across the top, then equal panels in rows and columns.</summary>
    private sealed class HeaderAboveGrid(int headerHeight, int rows, int columns) : IMultiplotLayout
    {
        public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figureRect)
        {
            var panelWidth = figureRect.Width / columns;
            var panelHeight = (figureRect.Height - headerHeight) / rows;
            var rectangles = new PixelRect[subplots.Count];
            rectangles[0] = new PixelRect(figureRect.Left, figureRect.Right, figureRect.Top + headerHeight, figureRect.Top);
            for (var i = 1; i < rectangles.Length; i++)
            {
                var (row, column) = Math.DivRem(i - 1, columns);
                var left = figureRect.Left + (column * panelWidth);
                var top = figureRect.Top + headerHeight + (row * panelHeight);
                rectangles[i] = new PixelRect(left, left + panelWidth, top + panelHeight, top);
            }

            return rectangles;
        }
    }
}
