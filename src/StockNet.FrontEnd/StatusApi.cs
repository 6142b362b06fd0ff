using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Dashboard;
using StockNet.FrontEnd.Telemetry;
using StockNet.Hosting;
using StockNet.Hosting.Telemetry;

namespace StockNet.FrontEnd;

/// <summary>
/// The read-only view of the cluster: <c>/status</c> (what <c>stocknet status</c> prints), <c>/cache/contents</c>,
/// and the dashboard with its Server-Sent Events stream. All of it behind the read-only token, never the cluster key.
/// </summary>
public static class StatusApi
{
    /// <summary>How often the dashboard's stream sends the status and the cache's news.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromMilliseconds(500);

    // Without ?after=, a reader gets only the latest events, not the whole ring.
    private const int LatestEvents = 100;

    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Status").RequireReadOnlyAccess();
        group.MapGet(Routes.Status, GetStatusAsync).WithName("ClusterStatus");
        group.MapGet(Routes.CacheContents, GetCacheContents).WithName("CacheContents");
        // The event stream lives as long as the page: the 30 s request timeout of every other route would cut it.
        group.MapGet(Routes.DashboardEvents, StreamEvents).WithName("DashboardEvents").DisableRequestTimeout();
        group.MapGet(Routes.Dashboard, DashboardAssets.Page).WithName("Dashboard");

        // Script, style and the vendored chart library hold no data; a page's <script> tags could not send the token anyway.
        endpoints.MapGet(Routes.Dashboard + "/{file}", DashboardAssets.Asset).WithName("DashboardAsset").WithTags("Status").AllowAnonymous();
        return group;
    }

    private static async Task<JsonHttpResult<ClusterStatus>> GetStatusAsync(ClusterMonitor monitor, CancellationToken cancellationToken) =>
        TypedResults.Json(await monitor.GetAsync(cancellationToken), StockNetJsonContext.Default.ClusterStatus);

    private static Results<JsonHttpResult<CacheContents>, JsonHttpResult<ApiError>> GetCacheContents(string? after, QuoteLookup lookup)
    {
        if (!TryReadAfter(after, lookup.Cache, out var from))
        {
            return ApiResults.BadRequest("The parameter 'after' must be an integer of -1 or more.", ErrorTypes.BadRequest);
        }

        return TypedResults.Json(lookup.Cache.GetContents(from, lookup.Enabled), StockNetJsonContext.Default.CacheContents);
    }

    private static ServerSentEventsResult<string> StreamEvents(ClusterMonitor monitor, QuoteLookup lookup, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(StreamAsync(monitor, lookup, cancellationToken));

    // A status event and a cache event every interval, until the page goes away.
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        ClusterMonitor monitor, QuoteLookup lookup, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = Math.Max(-1, lookup.Cache.LastEvent - LatestEvents);
        using var timer = new PeriodicTimer(StreamInterval);
        do
        {
            var status = await monitor.GetAsync(cancellationToken);
            yield return new SseItem<string>(JsonSerializer.Serialize(status, StockNetJsonContext.Default.ClusterStatus), "status");
            var contents = lookup.Cache.GetContents(after, lookup.Enabled);
            after = contents.Next;
            yield return new SseItem<string>(JsonSerializer.Serialize(contents, StockNetJsonContext.Default.CacheContents), "cache");
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async ValueTask<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The page closed: end the stream quietly.
            return false;
        }
    }

    private static bool TryReadAfter(string? text, LruCache cache, out long after)
    {
        if (string.IsNullOrEmpty(text))
        {
            after = Math.Max(-1, cache.LastEvent - LatestEvents);
            return true;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out after) && after >= -1;
    }
}
