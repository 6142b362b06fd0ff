namespace StockNet.Protocol;

/// <summary>
/// Where the read-only token (Metrics:Token) is found by the commands that read the read-only routes
/// (<see cref="ReadOnlyClient"/>): an environment variable, else the file <c>stocknet up</c> keeps in its data root.
/// </summary>
public static class ReadOnlyToken
{
    public const string EnvironmentVariable = "STOCKNET_METRICS_TOKEN";

    /// <summary>The token's file in <c>stocknet up</c>'s data root.</summary>
    public const string FileName = "metrics.token";

    /// <summary>The token from <see cref="EnvironmentVariable"/>, or null.</summary>
    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable);
}
