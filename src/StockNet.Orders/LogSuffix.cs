using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>
/// The rows written after one index, read a page at a time from one snapshot of the log (a read transaction on a
/// connection of its own), so a long suffix costs one page of memory and is one consistent state. Dispose ends the
/// snapshot and returns the connection.
/// </summary>
public sealed class LogSuffix : IDisposable
{
    private readonly LogReaders.LeasedConnection _lease;
    private readonly long _after;

    internal LogSuffix(LogReaders.LeasedConnection lease, long after, LogHistory history)
    {
        _lease = lease;
        _after = after;
        History = history;
    }

    /// <summary>The log's history in this snapshot: the asker takes its lines after the asked index and its last index.</summary>
    public LogHistory History { get; }

    public IEnumerable<LogRecord> Records() => Pages(_after, _lease.Connection.ReadSuffixPage);

    /// <summary>Every row written after <paramref name="after"/>, in (index, number) order, read by <paramref name="readPage"/> a page at a time.</summary>
    internal static IEnumerable<LogRecord> Pages(long after, Func<long, long, int, List<LogRecord>> readPage)
    {
        var (index, number) = (after, long.MaxValue);
        while (true)
        {
            var page = readPage(index, number, OrderLog.PageSize);
            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < OrderLog.PageSize)
            {
                yield break;
            }

            (index, number) = (page[^1].Index, page[^1].Entry.TransactionNumber);
        }
    }

    public void Dispose()
    {
        _lease.Connection.EndRead();
        _lease.Dispose();
    }
}
