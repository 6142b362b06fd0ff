using System.Diagnostics.CodeAnalysis;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Leadership;

/// <summary>
/// One term of one leader, immutable. <see cref="Replaced"/> is cancelled the moment another snapshot takes
/// its place, so requests in flight to a replaced leader fail over at once instead of waiting out a timeout.
/// Snapshots compare by reference: two elections of the same replica are two terms.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The token source has no timer; in-flight requests may still hold registrations on it.")]
public sealed class LeaderSnapshot
{
    private readonly CancellationTokenSource _replaced = new();

    public LeaderSnapshot(ReplicaAddress replica, long epoch)
    {
        ArgumentNullException.ThrowIfNull(replica);
        Replica = replica;
        Epoch = epoch;
    }

    public ReplicaAddress Replica { get; }

    public int ReplicaId => Replica.Id;

    public string Url => Replica.Url;

    public long Epoch { get; }

    public CancellationToken Replaced => _replaced.Token;

    internal void MarkReplaced() => _replaced.Cancel();

    public override string ToString() => $"replica {ReplicaId} ({Url}) at epoch {Epoch}";
}
