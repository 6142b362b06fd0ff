namespace StockNet.LoadClient.Measurement;

/// <summary>One measured request: what it was, how long it took and the HTTP status (0 when no reply came).</summary>
public readonly record struct Sample(RequestKind Kind, double LatencyMicroseconds, int Status);
