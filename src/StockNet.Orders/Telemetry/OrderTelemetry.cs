using System.Diagnostics;
using System.Diagnostics.Metrics;
using StockNet.Protocol;

namespace StockNet.Orders.Telemetry;

/// <summary>
/// The replica's spans, counters and histograms. Static, like the runtime's own meters: while nothing listens
/// each costs a flag check. The gauges that read this replica's state are <see cref="OrderGauges"/>.
/// </summary>
internal static class OrderTelemetry
{
    public const string Name = "StockNet.Orders";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Replication = Meter.CreateHistogram<double>(
        "stocknet.replication.duration", "s", "One replication batch's round trip to a follower, by follower and answer.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 1] });

    private static readonly Histogram<double> Recovery = Meter.CreateHistogram<double>(
        "stocknet.recovery.duration", "s", "A new leader's recovery: fencing the peers, merging their logs, reconciling the journal.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> Adoptions = Meter.CreateCounter<long>(
        "stocknet.reconciliation.adoptions", "{order}", "Trades the catalog applied that no log held, adopted as orders.");

    public static void RecordReplication(int followerId, ReplicaAck ack, TimeSpan elapsed)
    {
        if (Replication.Enabled)
        {
            Replication.Record(elapsed.TotalSeconds, new("stocknet.follower", followerId), new("stocknet.replication.result", AckName(ack)));
        }
    }

    public static void RecordRecovery(TimeSpan elapsed, bool leading) =>
        Recovery.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stocknet.recovery.leading", leading));

    public static void RecordAdoption() => Adoptions.Add(1);

    public static string AckName(ReplicaAck ack) => ack switch
    {
        ReplicaAck.Accepted => "stored",
        ReplicaAck.StaleEpoch => "stale-epoch",
        ReplicaAck.Refused => "refused",
        _ => "failed",
    };
}
