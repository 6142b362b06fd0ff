using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>A batch of log edits applied in one transaction: entries to write (overwriting by number) and numbers to delete.</summary>
public sealed record LogChanges(IReadOnlyList<OrderEntry> Upserts, IReadOnlyList<long> Deletes)
{
    public static LogChanges None { get; } = new([], []);

    public bool IsEmpty => Upserts.Count == 0 && Deletes.Count == 0;
}
