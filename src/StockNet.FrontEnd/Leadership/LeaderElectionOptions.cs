namespace StockNet.FrontEnd.Leadership;

/// <summary>How the front-end watches the order leader.</summary>
public sealed class LeaderElectionOptions
{
    public const string SectionName = "LeaderElection";

    /// <summary>How often the leader is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one probe or announcement may take; there are no retries.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(150);
}
