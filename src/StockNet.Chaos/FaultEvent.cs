namespace StockNet.Chaos;

/// <summary>
/// One planned fault: at <see cref="At"/> after the load starts, hit <see cref="TargetCount"/> processes with
/// <see cref="Kind"/> for <see cref="Hold"/>. <see cref="Preference"/> orders every service; the injector takes
/// the first ones not already under a fault, so an overlap shifts the fault instead of dropping it.
/// </summary>
public sealed record FaultEvent(TimeSpan At, FaultKind Kind, int TargetCount, IReadOnlyList<string> Preference, TimeSpan Hold)
{
    /// <summary>Which link fault of <see cref="NetworkFaultPlan"/> a partition or slow event is; drawn from the seed.</summary>
    public int Scenario { get; init; }
}
