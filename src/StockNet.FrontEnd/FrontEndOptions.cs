namespace StockNet.FrontEnd;

/// <summary>Where the front-end's backends are and how long it waits for them.</summary>
public sealed class FrontEndOptions
{
    public const string SectionName = "FrontEnd";

    /// <summary>Base URL of the catalog service.</summary>
    public string CatalogUrl { get; set; } = "http://127.0.0.1:8997";

    /// <summary>
    /// The order replicas, comma-separated. An item is either a base URL (its replica id is its position, from 1)
    /// or <c>id=url</c>.
    /// </summary>
    public string OrderReplicas { get; set; } = "http://127.0.0.1:8998,http://127.0.0.1:8999,http://127.0.0.1:9000";

    /// <summary>How long one catalog lookup may take before the client gets a 503.</summary>
    public TimeSpan CatalogTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one forwarded attempt to the order leader may take.</summary>
    public TimeSpan OrderTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one client request may spend retrying across elections before it gets a 503.</summary>
    public TimeSpan FailoverBudget { get; set; } = TimeSpan.FromSeconds(5);
}
