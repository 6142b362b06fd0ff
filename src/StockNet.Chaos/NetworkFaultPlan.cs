using System.Globalization;
using StockNet.Cluster;
using StockNet.Cluster.Network;

namespace StockNet.Chaos;

/// <summary>One link fault: the cuts it makes (or the host it slows), and how the report names it.</summary>
internal sealed record NetworkFault(string Target, IReadOnlyList<(string From, string To, CutDirection Direction)> Cuts, string? Slowed = null, TimeSpan Delay = default, double LossPercent = 0);

/// <summary>
/// The partitions and slow links of a chaos run, chosen against the leader of the moment:
/// 0 the leader cut from the first front-end (not from its followers), 1 the leader cut from both followers,
/// 2 the catalog cut from the leader, 3 the first front-end cut from the catalog, 4 a one-way cut (the leader
/// cannot call one follower, which can still call it); a slow link is 20-100 ms delay and 1-5% loss on one replica.
/// </summary>
internal static class NetworkFaultPlan
{
    public const int PartitionScenarios = 5;

    public static NetworkFault Partition(int scenario, string leader, IReadOnlyList<string> replicas)
    {
        var followers = replicas.Where(name => name != leader).ToList();
        var frontEnd = ClusterLayout.FrontEndNameOf(1);
        return scenario switch
        {
            0 => new($"{leader} | {frontEnd}", [(frontEnd, leader, CutDirection.Both)]),
            1 => new($"{leader} | followers", [.. followers.Select(follower => (leader, follower, CutDirection.Both))]),
            2 => new($"{ClusterLayout.CatalogName} | {leader}", [(ClusterLayout.CatalogName, leader, CutDirection.Both)]),
            3 => new($"{frontEnd} | {ClusterLayout.CatalogName}", [(frontEnd, ClusterLayout.CatalogName, CutDirection.Both)]),
            _ => new($"{leader} -> {followers[0]}", [(leader, followers[0], CutDirection.OneWay)]),
        };
    }

    public static NetworkFault Slow(Random random, IReadOnlyList<string> replicas)
    {
        var target = replicas[random.Next(replicas.Count)];
        var delay = TimeSpan.FromMilliseconds(random.Next(20, 101));
        var loss = Math.Round(1 + (4 * random.NextDouble()), 1);
        return new(string.Create(CultureInfo.InvariantCulture, $"{target} {delay.TotalMilliseconds:0} ms {loss:0.#}%"), [], target, delay, loss);
    }
}
