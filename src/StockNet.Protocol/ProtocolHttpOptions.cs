namespace StockNet.Protocol;

/// <summary>The connection pool of the protocol's HTTP client; per-call deadlines are the typed clients' arguments.</summary>
public sealed class ProtocolHttpOptions
{
    /// <summary>Open connections to one server at most; a load generator raises it to its number of workers.</summary>
    public int MaxConnectionsPerServer { get; set; } = int.MaxValue;

    /// <summary>A backstop for connecting; every call's own deadline is usually shorter.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
