namespace StockNet.Orders;

/// <summary>
/// The journal watermark: the catalog journal sequence up to which every applied trade is known to be in
/// this log (logged by a leader, or adopted by reconciliation). It is persisted beside the epoch so a
/// restarted replica does not reread the whole journal. It holds only while no key leaves the log: an entry
/// overwritten or removed by a newer epoch's history (a merge or resync) may take away a key the catalog
/// applied. Each entry records the watermark it was logged under (its floor); its trade was journaled after
/// that point, since the watermark passes only keys the log holds. So a lost key sends the watermark back to
/// its entry's floor, in the same transaction that lost it: the next round rereads from there, never from 0.
/// </summary>
public sealed partial class OrderLog
{
    private long _watermark;
    private long _watermarkResets;

    /// <summary>Every journal trade with a sequence at or below this is in the log.</summary>
    public long JournalWatermark => Volatile.Read(ref _watermark);

    /// <summary>Counts watermark moves back; a round takes it before reading the log and hands it back to advance.</summary>
    public long WatermarkResets => Interlocked.Read(ref _watermarkResets);

    /// <summary>
    /// Persists a higher watermark; an older or equal one changes nothing, nor does any once the watermark was
    /// moved back since <paramref name="resetsSeen"/> was read (the keys that justified it may have left the log).
    /// </summary>
    public void AdvanceJournalWatermark(long sequence, long resetsSeen)
    {
        lock (_writeLock)
        {
            if (sequence <= _watermark || resetsSeen != _watermarkResets)
            {
                return;
            }

            _writer.WriteMeta(WatermarkKey, sequence);
            Volatile.Write(ref _watermark, sequence);
        }
    }

    // Inside the write's transaction, after it: most removed keys come straight back (the same entry at a newer
    // epoch, or the key moved to another number), so only a key absent now counts as lost.
    private long LostKeyFloor(List<LogConnection.Row> removed)
    {
        var floor = long.MaxValue;
        foreach (var row in removed)
        {
            if (row.Entry.IdempotencyKey is { } key && !_writer.TryReadByKey(key, out _))
            {
                floor = Math.Min(floor, row.JournalFloor);
            }
        }

        return floor;
    }
}
