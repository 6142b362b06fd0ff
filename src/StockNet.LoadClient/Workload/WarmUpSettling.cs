namespace StockNet.LoadClient.Workload;

/// <summary>
/// When a warm-up has done its job. A fresh cluster keeps compiling for seconds after its first calls (tiered
/// compilation recompiles every hot method once or twice, in every service, on a background thread); measured on a
/// busy machine, each service spent 0.3-0.8 s of JIT per second for 15-20 s after the warm-up began, and on a quiet
/// one the first measured run's first seconds had a p90 ten times the later ones'. The warm-up's sessions loop
/// without thinking, so their rounds per second is the cluster's throughput: while it still rises, the cluster is
/// still warming; once two windows in a row are no faster than the two before, it has settled.
/// </summary>
public sealed class WarmUpSettling
{
    /// <summary>How often the warm-up's throughput is read.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>How much faster the last two windows may be than the two before and still count as steady.</summary>
    public const double Tolerance = 0.05;

    private readonly List<long> _roundsPerWindow = [];
    private long _rounds;
    private long _roundsAtLastWindow;

    /// <summary>Rounds per window so far (for the report and the tests).</summary>
    public IReadOnlyList<long> RoundsPerWindow => _roundsPerWindow;

    /// <summary>Set once the throughput stopped rising; never unset.</summary>
    public bool IsSettled { get; private set; }

    /// <summary>One warm-up round done, by any worker.</summary>
    public void CountRound() => Interlocked.Increment(ref _rounds);

    /// <summary>Closes a window: called every <see cref="Window"/> by one watcher.</summary>
    public void CloseWindow()
    {
        var rounds = Interlocked.Read(ref _rounds);
        _roundsPerWindow.Add(rounds - _roundsAtLastWindow);
        _roundsAtLastWindow = rounds;
        IsSettled = IsSettled || HasSettled(_roundsPerWindow);
    }

    /// <summary>True when the last two windows together did at most <see cref="Tolerance"/> more rounds than the two before.</summary>
    public static bool HasSettled(IReadOnlyList<long> roundsPerWindow)
    {
        if (roundsPerWindow.Count < 4)
        {
            return false;
        }

        var recent = roundsPerWindow[^1] + roundsPerWindow[^2];
        var before = roundsPerWindow[^3] + roundsPerWindow[^4];
        return before > 0 && recent <= before * (1 + Tolerance);
    }
}
