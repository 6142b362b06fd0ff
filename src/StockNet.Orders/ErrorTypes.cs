namespace StockNet.Orders;

/// <summary>The stable <c>type</c> values of this service's errors.</summary>
public static class ErrorTypes
{
    public const string NotLeader = "not-leader";
    public const string Recovering = "recovering";
    public const string StaleEpoch = "stale-epoch";
    public const string NotFollower = "not-follower";
    public const string CatalogUnavailable = "catalog-unavailable";
    public const string BadRequest = "bad-request";
}
