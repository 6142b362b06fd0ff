using StockNet.Contracts;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Telemetry;

/// <summary>
/// The last <see cref="Capacity"/> things that happened to the cluster as this front-end saw them: every
/// leader change (from <see cref="LeaderState"/>), and replicas or the catalog going down, coming back or
/// recovering (from <see cref="ClusterMonitor"/>, while someone watches the status).
/// </summary>
public sealed class ClusterTimeline
{
    public const int Capacity = 100;

    private readonly Queue<ClusterEvent> _events = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _next;

    public ClusterTimeline(LeaderState leader, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(leader);
        _time = time;
        leader.Changed += OnLeaderChanged;
    }

    public void Add(string kind, string message)
    {
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(new ClusterEvent(_next++, _time.GetUtcNow(), kind, message));
        }
    }

    public ClusterEvent[] Recent()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    private void OnLeaderChanged(LeaderSnapshot? previous, LeaderSnapshot? next)
    {
        if (next is null)
        {
            Add("no-leader", previous is null ? "No order replica is ready." : $"Leader replica {previous.ReplicaId} lost; no replica is ready.");
        }
        else if (previous is null || previous.ReplicaId == next.ReplicaId)
        {
            Add("election", $"Replica {next.ReplicaId} leads at epoch {next.Epoch}.");
        }
        else
        {
            Add("failover", $"Replica {next.ReplicaId} leads at epoch {next.Epoch}, replacing replica {previous.ReplicaId}.");
        }
    }
}
