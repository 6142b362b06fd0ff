namespace StockNet.Cluster;

/// <summary>
/// The last lines a child wrote, bounded so that a chatty service never grows the parent's memory.
/// Thread-safe: stdout and stderr are read on different threads.
/// </summary>
internal sealed class LogRing(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot(int? last = null)
    {
        lock (_gate)
        {
            var skip = last is { } count ? Math.Max(0, _lines.Count - count) : 0;
            return [.. _lines.Skip(skip)];
        }
    }
}
