namespace StockNet.Orders;

/// <summary>
/// The journal watermark: the catalog journal sequence up to which every applied trade is known to be in
/// this log (logged by a leader, or adopted by reconciliation). It is persisted beside the epoch so a
/// restarted replica does not reread the whole journal, and it holds only while no key leaves the log: an
/// entry overwritten by a newer epoch's entry (a merge or resync) may take away a key the catalog applied,
/// so any such loss sends the watermark back to the start of the journal.
/// </summary>
public sealed partial class OrderLog
{
    private readonly List<string> _removedKeys = [];
    private long _watermarkResets;

    /// <summary>Every journal trade with a sequence at or below this is in the log.</summary>
    public long JournalWatermark => Volatile.Read(ref _watermark);

    /// <summary>Counts resets of the watermark; a round takes it before reading the log and hands it back to advance.</summary>
    public long WatermarkResets => Interlocked.Read(ref _watermarkResets);

    /// <summary>
    /// Persists a higher watermark; an older or equal one changes nothing, nor does any once the watermark was
    /// reset since <paramref name="resetsSeen"/> was read (the keys that justified it may have left the log).
    /// </summary>
    public void AdvanceJournalWatermark(long sequence, long resetsSeen)
    {
        lock (_writeLock)
        {
            if (sequence <= _watermark || resetsSeen != _watermarkResets)
            {
                return;
            }

            WriteMeta(WatermarkKey, sequence);
            Volatile.Write(ref _watermark, sequence);
        }
    }

    // Called under the write lock after an operation that may have unindexed keys. Most unindexed keys come
    // straight back (the same entry at a newer epoch), so only a key absent at the end counts as lost.
    private void ResetWatermarkIfKeysDropped()
    {
        if (_removedKeys.Count == 0)
        {
            return;
        }

        var lost = false;
        foreach (var key in _removedKeys)
        {
            lost |= !_byKey.ContainsKey(key);
        }

        _removedKeys.Clear();
        if (lost)
        {
            Interlocked.Increment(ref _watermarkResets);
            WriteMeta(WatermarkKey, 0);
            Volatile.Write(ref _watermark, 0);
        }
    }
}
