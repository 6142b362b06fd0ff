namespace StockNet.Contracts.Security;

/// <summary>One route open without the cluster credential: the service, the HTTP method and the route pattern.</summary>
public sealed record PublicRoute(string Service, string Method, string Pattern);

/// <summary>
/// Every route of every service that answers without the cluster credential; everything else is refused with a
/// 401 unless the request is signed (deny by default). A service marks these routes public where it maps them,
/// and a test checks each service's route table against this list in both directions, so a new route is
/// internal until it is added here. Read-only routes guarded by their own token (metrics, status, dashboard)
/// name their own authorization policy, which replaces the cluster credential for them; they are not listed.
/// </summary>
public static class PublicRoutes
{
    public const string FrontEnd = "frontend";
    public const string Catalog = "catalog";
    public const string Order = "order";

    public static IReadOnlyList<PublicRoute> All { get; } =
    [
        // The public API (the wire contract's clients).
        new(FrontEnd, "GET", Routes.Stocks + "/{name}"),
        new(FrontEnd, "POST", Routes.Orders + "/"),
        new(FrontEnd, "GET", Routes.Orders + "/{number}"),
        new(FrontEnd, "GET", Routes.Stocks + "/"),
        new(FrontEnd, "GET", Routes.CacheStats),

        // The dashboard's script and style: no data, and a page's <script> tag cannot send a token.
        new(FrontEnd, "GET", Routes.Dashboard + "/{file}"),

        // The original system's clients read quotes from the catalog directly.
        new(Catalog, "GET", Routes.Stocks + "/{name}"),

        // Liveness: a replica's ping carries no secret, and every health endpoint answers anyone.
        new(Order, "GET", Routes.Ping),
        .. Health(FrontEnd), .. Health(Catalog), .. Health(Order),
    ];

    public static bool IsPublic(string service, string method, string pattern) =>
        All.Any(route => route.Service == service && route.Method == method && route.Pattern == pattern);

    private static PublicRoute[] Health(string service) => [new(service, "GET", Routes.HealthLive), new(service, "GET", Routes.HealthReady)];
}
