using System.Collections.Concurrent;

namespace StockNet.Chaos;

/// <summary>What the clients saw, shared by all of them: thread-safe, and cheap on the request path.</summary>
internal sealed class LoadLedger
{
    private readonly ConcurrentQueue<AcknowledgedOrder> _acknowledged = new();
    private readonly ConcurrentQueue<string> _unknown = new();
    private long _lookupsOk;
    private long _lookupsFailed;
    private long _tradesRejected;
    private long _retries;
    private readonly Lock _outageGate = new();
    private ClientOutage? _longestOutage;

    /// <summary>Every request's outcome and latency per second of the run, for timeline.png.</summary>
    public Timeline Timeline { get; } = new();

    public IReadOnlyList<AcknowledgedOrder> Acknowledged => [.. _acknowledged];

    /// <summary>Keys whose every attempt failed without a definite answer: the order may or may not exist.</summary>
    public IReadOnlyList<string> Unknown => [.. _unknown];

    public long LookupsOk => Interlocked.Read(ref _lookupsOk);

    public long LookupsFailed => Interlocked.Read(ref _lookupsFailed);

    public long TradesRejected => Interlocked.Read(ref _tradesRejected);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>The longest time one client went from a failure to its next success; null when none failed.</summary>
    public ClientOutage? LongestOutage
    {
        get
        {
            lock (_outageGate)
            {
                return _longestOutage;
            }
        }
    }

    public void Acknowledge(AcknowledgedOrder order) => _acknowledged.Enqueue(order);

    public void MarkUnknown(string key) => _unknown.Enqueue(key);

    public void LookupSucceeded() => Interlocked.Increment(ref _lookupsOk);

    public void LookupFailed() => Interlocked.Increment(ref _lookupsFailed);

    public void TradeRejected() => Interlocked.Increment(ref _tradesRejected);

    public void Retried() => Interlocked.Increment(ref _retries);

    /// <summary>Keeps the longest outage; rare (once per failure streak), so a lock is cheap enough.</summary>
    public void Outage(ClientOutage outage)
    {
        lock (_outageGate)
        {
            if (outage.Length > (_longestOutage?.Length ?? TimeSpan.Zero))
            {
                _longestOutage = outage;
            }
        }
    }
}

/// <summary>One client's failure streak: its front-end, from its first failure to its next success, and what failed.</summary>
public sealed record ClientOutage(int Client, string FrontEnd, TimeSpan Start, TimeSpan Length, int FailedLookups, int FailedTrades);
