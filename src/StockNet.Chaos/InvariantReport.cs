namespace StockNet.Chaos;

/// <summary>One broken invariant: a stable name (such as "lost-order") and what exactly was seen.</summary>
public sealed record Violation(string Invariant, string Detail);

/// <summary>The verdict on a snapshot: acknowledged orders lost, keys executed more than once, and every violation.</summary>
public sealed record InvariantReport(int Lost, int Duplicated, IReadOnlyList<Violation> Violations)
{
    public bool Passed => Violations.Count == 0;
}
