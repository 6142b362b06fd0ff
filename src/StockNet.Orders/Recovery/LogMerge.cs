using StockNet.Contracts;

namespace StockNet.Orders.Recovery;

/// <summary>
/// The pure rule that merges replicas' logs, applied only to the numbers where they may differ (rows written after
/// the agreement, on either side): for each number the entry with the highest epoch wins; at one epoch, a later
/// write of the same leader wins, else ours. An idempotency key won at two numbers keeps the higher-epoch entry
/// (ties: the lower number), because one key is one trade; the loser becomes a tombstone at the merge's epoch, so
/// every replica that held it removes it too.
/// </summary>
public static class LogMerge
{
    /// <summary>
    /// The writes that turn our log into the merge: winners that differ from <paramref name="ours"/>, and tombstones.
    /// <paramref name="theirs"/> holds, per number, every peer's row; <paramref name="keyHolder"/> finds the row that
    /// holds a key in our log (for numbers outside the compared ones).
    /// </summary>
    public static List<OrderEntry> Plan(
        IReadOnlyDictionary<long, LogRecord> ours,
        IReadOnlyDictionary<long, List<LogRecord>> theirs,
        Func<string, OrderEntry?> keyHolder,
        long epoch)
    {
        var winners = new Dictionary<long, OrderEntry>();
        foreach (var number in ours.Keys.Union(theirs.Keys))
        {
            var candidates = new List<LogRecord>();
            if (ours.TryGetValue(number, out var own))
            {
                candidates.Add(own);
            }

            candidates.AddRange(theirs.GetValueOrDefault(number) ?? []);
            winners[number] = Winner(candidates).Entry;
        }

        var tombstones = DropDuplicateKeys(winners, keyHolder, epoch);
        var changes = winners.Values.Where(entry => !ours.TryGetValue(entry.TransactionNumber, out var held) || held.Entry != entry).ToList();
        changes.AddRange(tombstones);
        return changes;
    }

    /// <summary>The first of the candidates with the highest epoch, unless a later write of the same leader replaced it.</summary>
    public static LogRecord Winner(IReadOnlyList<LogRecord> candidates)
    {
        var best = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            var (epoch, bestEpoch) = (candidate.Entry.Epoch ?? 0, best.Entry.Epoch ?? 0);
            if (epoch > bestEpoch || (epoch == bestEpoch && candidate.Epoch == best.Epoch && candidate.Index > best.Index && candidate.Index != OrderLog.Unplaced))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static List<OrderEntry> DropDuplicateKeys(Dictionary<long, OrderEntry> winners, Func<string, OrderEntry?> keyHolder, long epoch)
    {
        var owners = new Dictionary<string, OrderEntry>(StringComparer.Ordinal);
        var losers = new List<OrderEntry>();
        foreach (var entry in winners.Values.OrderBy(entry => entry.TransactionNumber))
        {
            if (entry.IdempotencyKey is not { } key)
            {
                continue;
            }

            // The key's holder among the winners, else in our log at a number not being compared.
            var owner = owners.GetValueOrDefault(key)
                ?? (keyHolder(key) is { } held && !winners.ContainsKey(held.TransactionNumber) ? held : null);
            if (owner is null)
            {
                owners[key] = entry;
                continue;
            }

            var entryWins = entry.Epoch > owner.Epoch || (entry.Epoch == owner.Epoch && entry.TransactionNumber < owner.TransactionNumber);
            losers.Add(entryWins ? owner : entry);
            owners[key] = entryWins ? entry : owner;
        }

        foreach (var loser in losers)
        {
            winners.Remove(loser.TransactionNumber);
        }

        return [.. losers.Select(loser => Tombstone(loser, epoch))];
    }

    private static OrderEntry Tombstone(OrderEntry entry, long epoch) =>
        entry with { IdempotencyKey = null, Epoch = epoch, State = OrderState.Removed };
}
