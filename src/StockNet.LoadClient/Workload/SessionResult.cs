using StockNet.LoadClient.Measurement;

namespace StockNet.LoadClient.Workload;

/// <summary>Everything one session measured and verified.</summary>
public sealed class SessionResult(LatencyRecorder recorder, OrderVerifier verifier)
{
    public LatencyRecorder Recorder { get; } = recorder;

    public OrderVerifier Verifier { get; } = verifier;

    public int Iterations { get; set; }

    public int CacheHits { get; set; }

    public int OrdersPlaced { get; set; }

    /// <summary>Buys the front-end refused for lack of stock: expected under load, not an error.</summary>
    public int RefusedBuys { get; set; }
}
