using System.Diagnostics.Metrics;
using StockNet.Orders.Leadership;
using StockNet.Orders.Replication;

namespace StockNet.Orders.Telemetry;

/// <summary>
/// Gauges read from this replica's state at each collection, so the order path records nothing for them:
/// its epoch, role and log head, and (on the leader) how many entries each follower has yet to store.
/// </summary>
public sealed class OrderGauges : IDisposable
{
    private readonly Meter _meter;

    public OrderGauges(IMeterFactory meters, ReplicaState state, OrderLog log, ReplicationManager replication, ClusterTopology topology)
    {
        _meter = meters.Create(OrderTelemetry.Name + ".State");
        var replica = new KeyValuePair<string, object?>("stocknet.replica", topology.Self.Id);
        _meter.CreateObservableGauge("stocknet.replica.epoch", () => new Measurement<long>(state.Epoch, replica), "{epoch}", "The newest epoch this replica has seen.");
        _meter.CreateObservableGauge(
            "stocknet.replica.role", () => new Measurement<int>((int)state.Current.Role, replica), null, "0 follower, 1 recovering leader, 2 leader.");
        _meter.CreateObservableGauge(
            "stocknet.replica.max_transaction", () => new Measurement<long>(log.MaxTransaction, replica), "{order}", "The highest order number in this replica's log.");
        _meter.CreateObservableGauge("stocknet.replication.lag", () => Lags(state, replication), "{order}", "Entries a follower has yet to store (measured on the leader).");
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Lags(ReplicaState state, ReplicationManager replication)
    {
        if (state.Current.Role != ReplicaRole.Leader)
        {
            yield break;
        }

        foreach (var (follower, lag) in replication.Lags())
        {
            yield return new Measurement<int>(lag, new KeyValuePair<string, object?>("stocknet.follower", follower));
        }
    }
}
