namespace StockNet.Chaos;

/// <summary>A fault that was carried out: when (since the load started), what, on which service, and any trouble recovering.</summary>
public sealed record InjectedFault(TimeSpan At, FaultKind Kind, string Service, TimeSpan Hold, string? Problem = null)
{
    /// <summary>For a kill: how long the restarted service took to report ready (its outage is the hold plus this).</summary>
    public TimeSpan? ReadyAfter { get; init; }
}
