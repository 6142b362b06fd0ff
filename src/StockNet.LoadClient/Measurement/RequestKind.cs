namespace StockNet.LoadClient.Measurement;

/// <summary>The three public requests a client makes, each measured on its own.</summary>
public enum RequestKind
{
    Lookup,
    Trade,
    OrderQuery,
}

/// <summary>Names used in tables, JSON, CSV and plots.</summary>
public static class RequestKinds
{
    public static readonly RequestKind[] All = [RequestKind.Lookup, RequestKind.Trade, RequestKind.OrderQuery];

    public static string Label(RequestKind kind) => kind switch
    {
        RequestKind.Lookup => "lookup",
        RequestKind.Trade => "trade",
        RequestKind.OrderQuery => "order-query",
        _ => kind.ToString(),
    };
}
