namespace StockNet.FrontEnd.Leadership;

/// <summary>How the front-end watches the order leader.</summary>
public sealed class LeaderElectionOptions
{
    public const string SectionName = "LeaderElection";

    /// <summary>How often the leader is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one probe or announcement may take; there are no retries.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// How long an election waits for each replica's ping. Longer than <see cref="ProbeTimeout"/>: on a busy
    /// machine a healthy replica can miss one short probe, and an election must not pass it over for that.
    /// </summary>
    public TimeSpan ElectionProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Consecutive unanswered leader probes before an election. One slow answer is not a dead leader; requests
    /// that fail still trigger an election at once.
    /// </summary>
    public int MissedProbesBeforeElection { get; set; } = 2;
}
