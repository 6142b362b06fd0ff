namespace StockNet.Hosting.Security;

/// <summary>The cluster credential's settings, bound from "Cluster". The key itself may also come from the environment (see <see cref="StockNet.Contracts.Security.ClusterKey"/>).</summary>
public sealed class ClusterSecurityOptions
{
    public const string SectionName = "Cluster";

    /// <summary>A file holding the cluster key; ranks above <see cref="Key"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The cluster key itself (prefer <see cref="KeyFile"/>: a command line is visible to every user).</summary>
    public string? Key { get; set; }

    /// <summary>Accept unsigned requests on every route: only for running beside services that cannot sign.</summary>
    public bool Insecure { get; set; }

    /// <summary>How far a signed request's time may lie from this service's clock; older ones are replays.</summary>
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromSeconds(5);
}
