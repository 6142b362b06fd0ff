using StockNet.Contracts;

namespace StockNet.Orders.Recovery;

/// <summary>
/// The pure rules that turn several replicas' logs into one, and one log into another.
/// Merge: for each number the entry with the highest epoch wins (ties keep the first log given, ours);
/// every number any log holds is kept, so holes are filled, not only numbers past our maximum;
/// an idempotency key found at two numbers keeps the higher-epoch entry (ties: the lower number),
/// because one key is one trade.
/// </summary>
public static class LogMerge
{
    public static Dictionary<long, OrderEntry> Merge(IEnumerable<IEnumerable<OrderEntry>> logs)
    {
        var merged = new Dictionary<long, OrderEntry>();
        foreach (var log in logs)
        {
            foreach (var raw in log)
            {
                var entry = OrderLog.Normalize(raw);
                if (!merged.TryGetValue(entry.TransactionNumber, out var held) || entry.Epoch > held.Epoch)
                {
                    merged[entry.TransactionNumber] = entry;
                }
            }
        }

        DropDuplicateKeys(merged);
        return merged;
    }

    /// <summary>
    /// A follower's target log: the leader's log, plus our entries of <paramref name="epoch"/> or newer that
    /// its snapshot lacks (replicated by this leader meanwhile: a leader reserves numbers before the catalog
    /// trades, so an order logged after the snapshot can have a number below the snapshot's maximum); our
    /// older-epoch entries it lacks were never part of its history.
    /// </summary>
    public static Dictionary<long, OrderEntry> FollowLeader(
        IReadOnlyDictionary<long, OrderEntry> ours, IEnumerable<OrderEntry> leaders, long epoch)
    {
        var target = new Dictionary<long, OrderEntry>();
        foreach (var raw in leaders)
        {
            var entry = OrderLog.Normalize(raw);
            target[entry.TransactionNumber] = entry;
        }

        foreach (var (number, entry) in ours)
        {
            if (!target.ContainsKey(number) && entry.Epoch >= epoch)
            {
                target[number] = entry;
            }
        }

        DropDuplicateKeys(target);
        return target;
    }

    /// <summary>The edits that make <paramref name="current"/> equal to <paramref name="target"/>.</summary>
    public static LogChanges Diff(IReadOnlyDictionary<long, OrderEntry> current, IReadOnlyDictionary<long, OrderEntry> target)
    {
        var upserts = new List<OrderEntry>();
        var deletes = new List<long>();
        foreach (var (number, entry) in target)
        {
            if (!current.TryGetValue(number, out var held) || held != entry)
            {
                upserts.Add(entry);
            }
        }

        foreach (var number in current.Keys)
        {
            if (!target.ContainsKey(number))
            {
                deletes.Add(number);
            }
        }

        upserts.Sort(static (a, b) => a.TransactionNumber.CompareTo(b.TransactionNumber));
        return upserts.Count == 0 && deletes.Count == 0 ? LogChanges.None : new LogChanges(upserts, deletes);
    }

    private static void DropDuplicateKeys(Dictionary<long, OrderEntry> entries)
    {
        var owners = new Dictionary<string, OrderEntry>(StringComparer.Ordinal);
        var losers = new List<long>();
        foreach (var entry in entries.Values)
        {
            if (entry.IdempotencyKey is not { } key)
            {
                continue;
            }

            if (!owners.TryGetValue(key, out var owner))
            {
                owners[key] = entry;
                continue;
            }

            var entryWins = entry.Epoch > owner.Epoch || (entry.Epoch == owner.Epoch && entry.TransactionNumber < owner.TransactionNumber);
            losers.Add(entryWins ? owner.TransactionNumber : entry.TransactionNumber);
            if (entryWins)
            {
                owners[key] = entry;
            }
        }

        foreach (var number in losers)
        {
            entries.Remove(number);
        }
    }
}
