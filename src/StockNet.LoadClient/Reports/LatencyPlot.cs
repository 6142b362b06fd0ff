using ScottPlot;
using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Reports;

/// <summary>
/// latency.png: a grid with one column per request type and one row per statistic (mean, p50, p99), latency
/// against the trade probability p, one line per cache setting. Cache on and off share each panel's axes,
/// so the effect of the cache reads as the gap between two lines and the effect of p as their slope. The
/// median row is there because on a shared machine a few slow requests move the mean more than the cache does.
/// </summary>
public static class LatencyPlot
{
    public const string FileName = "latency.png";

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
        var multiplot = new Multiplot();
        multiplot.AddPlots(Statistics.Length * RequestKinds.All.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(Statistics.Length, RequestKinds.All.Length);
        var settings = report.Runs.Select(run => run.Cache).Distinct().ToArray();
        for (var row = 0; row < Statistics.Length; row++)
        {
            for (var column = 0; column < RequestKinds.All.Length; column++)
            {
                var plot = multiplot.GetPlot((row * RequestKinds.All.Length) + column);
                DrawPanel(plot, report, settings, RequestKinds.All[column], Statistics[row]);
            }
        }

        multiplot.SavePng(Path.Combine(directory, FileName), 1500, 300 * Statistics.Length);
        return [FileName];
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
            line.LegendText = $"cache {settings[i]}";
            line.Color = SettingColors[i % SettingColors.Length];
            line.LineWidth = 2;
            line.MarkerSize = 8;
            highest = Math.Max(highest, ys.Max());
        }

        plot.Title($"{RequestKinds.Label(kind)}: {statistic.Name} latency");
        plot.XLabel("trade probability p");
        plot.YLabel("ms");
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();

        // Zero-based axes: a gap between lines should look as large as it is.
        plot.Axes.SetLimits(-0.05, 1.0, 0, highest > 0 ? highest * 1.25 : 1);
    }
}
