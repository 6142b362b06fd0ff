using Microsoft.Extensions.Options;
using StockNet.Protocol;

namespace StockNet.Orders;

/// <summary>This replica and its peers, resolved once from validated <see cref="OrderOptions"/>.</summary>
public sealed class ClusterTopology
{
    public ClusterTopology(IOptions<OrderOptions> options)
    {
        var errors = new List<string>();
        var replicas = ReplicaList.Parse(options.Value.Replicas, "Orders:Replicas", errors);
        Self = replicas.FirstOrDefault(r => r.Id == options.Value.ReplicaId)
            ?? throw new OptionsValidationException(OrderOptions.SectionName, typeof(OrderOptions), errors.Count > 0 ? errors : ["Orders:ReplicaId is not in Orders:Replicas."]);
        Peers = [.. replicas.Where(r => r.Id != Self.Id)];
    }

    public ReplicaAddress Self { get; }

    /// <summary>Every other replica, in id order as listed.</summary>
    public IReadOnlyList<ReplicaAddress> Peers { get; }

    /// <summary>
    /// How many replicas, this one included, must hold an entry before the leader acknowledges it, and must accept
    /// an epoch before its leader serves: more than half, so any two majorities share a replica.
    /// </summary>
    public int Majority => ((Peers.Count + 1) / 2) + 1;

    /// <summary>This replica and its peers.</summary>
    public IEnumerable<ReplicaAddress> All => Peers.Prepend(Self);

    public bool IsSelf(string? url) => ReplicaList.SameReplica(url, Self.Url);

    /// <summary>True when <paramref name="url"/> names this replica or one of its peers.</summary>
    public bool Knows(string? url) => All.Any(replica => ReplicaList.SameReplica(url, replica.Url));
}
