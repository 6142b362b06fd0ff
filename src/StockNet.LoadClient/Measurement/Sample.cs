namespace StockNet.LoadClient.Measurement;

/// <summary>
/// One measured request: what it was, how long it took, the HTTP status (0 when no reply came) and when it
/// started (a Stopwatch timestamp, 0 when unknown), so that slow requests can be placed in time.
/// </summary>
public readonly record struct Sample(RequestKind Kind, double LatencyMicroseconds, int Status, long StartTimestamp = 0);
