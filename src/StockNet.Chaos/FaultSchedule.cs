namespace StockNet.Chaos;

/// <summary>The knobs of a fault schedule.</summary>
public sealed record FaultScheduleSettings(
    int Seed,
    IReadOnlyList<string> Services,
    TimeSpan Start,
    TimeSpan End,
    TimeSpan MeanGap,
    TimeSpan MaxHold,
    double DoubleFaultProbability)
{
    /// <summary>The kinds to draw from, evenly; kill and pause by default.</summary>
    public IReadOnlyList<FaultKind> Kinds { get; init; } = [FaultKind.Kill, FaultKind.Pause];
}

/// <summary>
/// Plans when and where faults happen, from a seed alone, so that a run that found a violation can be repeated.
/// Gaps are uniform in [0.5, 1.5] times the mean rather than exponential: the count of faults in a run is then
/// predictable, which a test that asks for "at least 20" needs. The first events put each service first in turn,
/// so that a run long enough for that many events hits every process.
/// </summary>
public static class FaultSchedule
{
    public static readonly TimeSpan MinHold = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<FaultEvent> Create(FaultScheduleSettings settings)
    {
        var random = new Random(settings.Seed);
        var coverage = Shuffled(settings.Services, random);
        var events = new List<FaultEvent>();
        var partitions = 0;
        var at = settings.Start + Gap(settings.MeanGap, random);
        while (at < settings.End)
        {
            var preference = Shuffled(settings.Services, random);
            if (events.Count < coverage.Count)
            {
                preference.Remove(coverage[events.Count]);
                preference.Insert(0, coverage[events.Count]);
            }

            var kind = settings.Kinds[random.Next(settings.Kinds.Count)];
            var targets = random.NextDouble() < settings.DoubleFaultProbability ? 2 : 1;
            var hold = MinHold + ((settings.MaxHold - MinHold) * random.NextDouble());
            // The first partitions go through every scenario in turn, so a run with that many has them all.
            var scenario = kind == FaultKind.Partition && partitions < NetworkFaultPlan.PartitionScenarios
                ? partitions
                : random.Next(NetworkFaultPlan.PartitionScenarios);
            partitions += kind == FaultKind.Partition ? 1 : 0;
            events.Add(new FaultEvent(at, kind, Math.Min(targets, preference.Count), preference, hold < MinHold ? MinHold : hold) { Scenario = scenario });
            at += Gap(settings.MeanGap, random);
        }

        return events;
    }

    private static TimeSpan Gap(TimeSpan mean, Random random) => mean * (0.5 + random.NextDouble());

    private static List<string> Shuffled(IReadOnlyList<string> items, Random random)
    {
        var copy = items.ToList();
        for (var i = copy.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }
}
