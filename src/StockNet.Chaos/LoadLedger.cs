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
    private long _longestOutageTicks;

    public IReadOnlyList<AcknowledgedOrder> Acknowledged => [.. _acknowledged];

    /// <summary>Keys whose every attempt failed without a definite answer: the order may or may not exist.</summary>
    public IReadOnlyList<string> Unknown => [.. _unknown];

    public long LookupsOk => Interlocked.Read(ref _lookupsOk);

    public long LookupsFailed => Interlocked.Read(ref _lookupsFailed);

    public long TradesRejected => Interlocked.Read(ref _tradesRejected);

    public long Retries => Interlocked.Read(ref _retries);

    public TimeSpan LongestOutage => TimeSpan.FromTicks(Interlocked.Read(ref _longestOutageTicks));

    public void Acknowledge(AcknowledgedOrder order) => _acknowledged.Enqueue(order);

    public void MarkUnknown(string key) => _unknown.Enqueue(key);

    public void LookupSucceeded() => Interlocked.Increment(ref _lookupsOk);

    public void LookupFailed() => Interlocked.Increment(ref _lookupsFailed);

    public void TradeRejected() => Interlocked.Increment(ref _tradesRejected);

    public void Retried() => Interlocked.Increment(ref _retries);

    public void Outage(TimeSpan length)
    {
        var ticks = length.Ticks;
        var seen = Interlocked.Read(ref _longestOutageTicks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _longestOutageTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
