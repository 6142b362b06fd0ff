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
    /// machine a healthy replica can miss one short probe, and an election must not pass it over for that. After an
    /// election that found no majority because replicas did not answer, the next waits twice as long, up to eight
    /// times this, until a leader is found.
    /// </summary>
    public TimeSpan ElectionProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Consecutive unanswered leader probes before an election. One slow answer is not a dead leader; requests
    /// that fail still trigger an election at once.
    /// </summary>
    public int MissedProbesBeforeElection { get; set; } = 2;

    /// <summary>
    /// For this long after a leader was lost, elections try it last, so a leader behind a slow or lossy link costs
    /// one election instead of being elected again and lost again.
    /// </summary>
    public TimeSpan LostLeaderHoldOff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many front-ends elect (1..64). With more than one, each must have its own <see cref="ElectorId"/>: the
    /// epochs an elector announces are those equal to its id modulo this count, so two electors never announce
    /// the same epoch, and replicas keep at most one leader per epoch.
    /// </summary>
    public int Electors { get; set; } = 1;

    /// <summary>This front-end's elector id, 1..<see cref="Electors"/>.</summary>
    public int ElectorId { get; set; } = 1;
}
