using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>
/// Judges a <see cref="ChaosSnapshot"/>: a pure function, so every invariant can be tested on hand-made data.
/// The reference log is the longest one; when logs differ that is itself a violation, and the other checks
/// are still made against the reference so that one fault does not hide another.
/// </summary>
public static class InvariantChecker
{
    public static InvariantReport Check(ChaosSnapshot snapshot)
    {
        var violations = new List<Violation>();
        var duplicatedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var log in snapshot.Logs)
        {
            CheckUniqueness(log, violations, duplicatedKeys);
        }

        CheckIdentical(snapshot.Logs, violations);
        var lost = CheckAcknowledged(snapshot, violations);
        var reference = snapshot.Logs.OrderByDescending(log => log.Orders.Count).FirstOrDefault()?.Orders ?? [];
        CheckQuantities(snapshot, reference, violations);
        CheckJournal(snapshot, reference, violations, duplicatedKeys);
        return new InvariantReport(lost, duplicatedKeys.Count, violations);
    }

    private static void CheckUniqueness(ReplicaLog log, List<Violation> violations, HashSet<string> duplicatedKeys)
    {
        var numbers = new HashSet<long>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in log.Orders)
        {
            if (!numbers.Add(order.TransactionNumber))
            {
                violations.Add(new("duplicate-number", $"{log.Replica}: transaction {order.TransactionNumber} is used twice."));
            }

            if (order.IdempotencyKey is not { } key)
            {
                violations.Add(new("order-without-key", $"{log.Replica}: transaction {order.TransactionNumber} has no idempotency key."));
            }
            else if (!keys.Add(key))
            {
                duplicatedKeys.Add(key);
                violations.Add(new("duplicate-key", $"{log.Replica}: key {key} is logged twice (again as transaction {order.TransactionNumber})."));
            }
        }
    }

    private static void CheckIdentical(IReadOnlyList<ReplicaLog> logs, List<Violation> violations)
    {
        if (logs.Count == 0)
        {
            return;
        }

        var first = Sorted(logs[0]);
        foreach (var other in logs.Skip(1))
        {
            var sorted = Sorted(other);
            var index = FirstDifference(first, sorted);
            if (index >= 0)
            {
                violations.Add(new("diverging-logs", $"{logs[0].Replica} and {other.Replica} differ at position {index}: {Describe(first, index)} vs {Describe(sorted, index)}."));
            }
        }
    }

    /// <summary>Lost: acknowledged but absent from some replica, or present there under another number.</summary>
    private static int CheckAcknowledged(ChaosSnapshot snapshot, List<Violation> violations)
    {
        var byReplica = snapshot.Logs.Select(log => (log.Replica, Keys: log.Orders
            .Where(order => order.IdempotencyKey is not null)
            .GroupBy(order => order.IdempotencyKey!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal))).ToList();
        var lost = 0;
        foreach (var acknowledged in snapshot.Acknowledged)
        {
            var missing = new List<string>();
            foreach (var (replica, keys) in byReplica)
            {
                if (!keys.TryGetValue(acknowledged.Key, out var order))
                {
                    missing.Add(replica);
                }
                else if (order.TransactionNumber != acknowledged.Number || !Same(order, acknowledged))
                {
                    missing.Add(replica);
                    violations.Add(new("acknowledged-mismatch", $"{replica}: key {acknowledged.Key} was acknowledged as #{acknowledged.Number} {Describe(acknowledged)} but is logged as {Describe(order)}."));
                }
            }

            if (missing.Count > 0)
            {
                lost++;
                violations.Add(new("lost-order", $"Acknowledged #{acknowledged.Number} (key {acknowledged.Key}) at {acknowledged.At.TotalSeconds:0.0} s is missing on {string.Join(", ", missing)}."));
            }
        }

        return lost;
    }

    private static void CheckQuantities(ChaosSnapshot snapshot, IReadOnlyList<OrderEntry> reference, List<Violation> violations)
    {
        var expected = new Dictionary<string, long>(snapshot.InitialQuantities, StringComparer.Ordinal);
        foreach (var order in reference)
        {
            expected[order.Name] = expected.GetValueOrDefault(order.Name) + (order.Type == TradeType.Buy ? -order.Quantity : order.Quantity);
        }

        foreach (var (name, quantity) in expected.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var actual = snapshot.FinalQuantities.GetValueOrDefault(name);
            if (actual != quantity)
            {
                violations.Add(new("quantity-mismatch", $"{name}: the catalog holds {actual}, the log says {quantity} (initial {snapshot.InitialQuantities.GetValueOrDefault(name)})."));
            }
        }
    }

    /// <summary>Every trade the catalog applied is an order in the log, once, and every logged order was applied.</summary>
    private static void CheckJournal(ChaosSnapshot snapshot, IReadOnlyList<OrderEntry> reference, List<Violation> violations, HashSet<string> duplicatedKeys)
    {
        var journal = snapshot.Journal;
        var logged = reference.Where(order => order.IdempotencyKey is not null)
            .GroupBy(order => order.IdempotencyKey!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trade in journal)
        {
            if (trade.IdempotencyKey is not { } key)
            {
                violations.Add(new("orphan-catalog-trade", $"Catalog trade #{trade.Sequence} ({trade.Type} {trade.Quantity} {trade.Name}) has no key."));
                continue;
            }

            if (!applied.Add(key))
            {
                duplicatedKeys.Add(key);
                violations.Add(new("catalog-applied-twice", $"Catalog trade #{trade.Sequence}: key {key} was applied before."));
            }
            else if (!logged.TryGetValue(key, out var order))
            {
                var outcome = snapshot.UnknownKeys.Contains(key) ? "; its client gave up with an unknown outcome" : "";
                violations.Add(new("orphan-catalog-trade", $"Catalog trade #{trade.Sequence} ({trade.Type} {trade.Quantity} {trade.Name}, key {key}) is in no order log{outcome}."));
            }
            else if (order.Name != trade.Name || order.Type != trade.Type || order.Quantity != trade.Quantity)
            {
                violations.Add(new("catalog-log-mismatch", $"Key {key}: the catalog applied {trade.Type} {trade.Quantity} {trade.Name}, the log holds {Describe(order)}."));
            }
        }

        foreach (var (key, order) in logged)
        {
            if (!applied.Contains(key))
            {
                violations.Add(new("unapplied-order", $"Order {Describe(order)} (key {key}) is logged but the catalog never applied it."));
            }
        }
    }

    private static List<OrderEntry> Sorted(ReplicaLog log) => [.. log.Orders.OrderBy(order => order.TransactionNumber)];

    private static int FirstDifference(List<OrderEntry> left, List<OrderEntry> right)
    {
        for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
        {
            if (i >= left.Count || i >= right.Count || !SameOrder(left[i], right[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // Epochs are left out: a replica may store the epoch it received an order in.
    private static bool SameOrder(OrderEntry left, OrderEntry right) =>
        left.TransactionNumber == right.TransactionNumber && left.Name == right.Name && left.Type == right.Type
        && left.Quantity == right.Quantity && left.IdempotencyKey == right.IdempotencyKey;

    private static bool Same(OrderEntry order, AcknowledgedOrder acknowledged) =>
        order.Name == acknowledged.Name && order.Type == acknowledged.Type && order.Quantity == acknowledged.Quantity;

    private static string Describe(List<OrderEntry> orders, int index) => index < orders.Count ? Describe(orders[index]) : "nothing";

    private static string Describe(OrderEntry order) =>
        $"#{order.TransactionNumber} {order.Type} {order.Quantity} {order.Name} key {order.IdempotencyKey ?? "none"}";

    private static string Describe(AcknowledgedOrder order) => $"{order.Type} {order.Quantity} {order.Name}";
}
