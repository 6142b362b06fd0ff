namespace StockNet.LoadClient.Workload;

/// <summary>Iterations done across every session of a run, read by the live progress display.</summary>
public sealed class ProgressCounter
{
    private long _done;

    public long Done => Interlocked.Read(ref _done);

    public void Increment() => Interlocked.Increment(ref _done);
}
