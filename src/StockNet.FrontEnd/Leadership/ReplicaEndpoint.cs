namespace StockNet.FrontEnd.Leadership;

/// <summary>One order replica: its id and base URL (no trailing slash, so it doubles as the leader_id on the wire).</summary>
public sealed record ReplicaEndpoint(int Id, string BaseUrl)
{
    public Uri Resolve(string path) => new(BaseUrl + path, UriKind.Absolute);
}
