using StockNet.Chaos;

namespace StockNet.Chaos.Tests;

public sealed class FaultScheduleTests
{
    private static readonly string[] Services = ["catalog", "order-1", "order-2", "order-3", "frontend"];

    [Fact]
    public void Create_SameSeed_SameSchedule()
    {
        var first = FaultSchedule.Create(Settings(seed: 42));
        var second = FaultSchedule.Create(Settings(seed: 42));

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].At, second[i].At);
            Assert.Equal(first[i].Kind, second[i].Kind);
            Assert.Equal(first[i].TargetCount, second[i].TargetCount);
            Assert.Equal(first[i].Hold, second[i].Hold);
            Assert.Equal(first[i].Preference, second[i].Preference);
        }
    }

    [Fact]
    public void Create_OtherSeed_OtherSchedule()
    {
        var first = FaultSchedule.Create(Settings(seed: 1));
        var second = FaultSchedule.Create(Settings(seed: 2));

        Assert.NotEqual(first.Select(fault => fault.At), second.Select(fault => fault.At));
    }

    [Fact]
    public void Create_FirstEvents_PutEveryServiceFirstOnce()
    {
        var schedule = FaultSchedule.Create(Settings(seed: 7));

        Assert.Equal(Services.Order(StringComparer.Ordinal), schedule.Take(Services.Length).Select(fault => fault.Preference[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_SixtySecondsEveryTwo_PlansTwentyToFortyEventsWithinBounds()
    {
        var settings = Settings(seed: 3);

        var schedule = FaultSchedule.Create(settings);

        Assert.InRange(schedule.Count, 20, 40);
        Assert.All(schedule, fault =>
        {
            Assert.InRange(fault.At, settings.Start, settings.End);
            Assert.InRange(fault.Hold, FaultSchedule.MinHold, settings.MaxHold);
            Assert.InRange(fault.TargetCount, 1, 2);
            Assert.Equal(Services.Order(StringComparer.Ordinal), fault.Preference.Order(StringComparer.Ordinal));
        });
        Assert.Equal(schedule.OrderBy(fault => fault.At).Select(fault => fault.At), schedule.Select(fault => fault.At));
    }

    [Fact]
    public void Create_PartitionsOnly_FirstOnesCoverEveryScenarioInTurn()
    {
        var schedule = FaultSchedule.Create(Settings(seed: 5) with { Kinds = [FaultKind.Partition] });

        Assert.All(schedule, planned => Assert.Equal(FaultKind.Partition, planned.Kind));
        Assert.Equal([0, 1, 2, 3, 4], schedule.Take(5).Select(planned => planned.Scenario));
    }

    private static FaultScheduleSettings Settings(int seed) => new(
        seed, Services, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(57), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 0.2);
}
