using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace StockNet.FrontEnd.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly at build time (no front-end toolchain): the page, its
/// script and style, and the vendored uPlot. Only these names are served.
/// </summary>
internal static class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["uPlot.iife.min.js"] = "text/javascript; charset=utf-8",
        ["uPlot.min.css"] = "text/css; charset=utf-8",
    };

    public static Results<FileStreamHttpResult, NotFound> Page() => Asset("index.html");

    public static Results<FileStreamHttpResult, NotFound> Asset(string file)
    {
        if (!ContentTypes.TryGetValue(file, out var contentType)
            || typeof(DashboardAssets).Assembly.GetManifestResourceStream(ResourcePrefix + file) is not { } stream)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Stream(stream, contentType);
    }
}
