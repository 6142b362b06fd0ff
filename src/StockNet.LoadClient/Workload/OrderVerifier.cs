using StockNet.Contracts;

namespace StockNet.LoadClient.Workload;

/// <summary>What the order query said about an order the session placed.</summary>
public enum VerificationOutcome
{
    /// <summary>The reply matches the order as placed.</summary>
    Match,

    /// <summary>The reply names another stock, type, quantity or number.</summary>
    Mismatch,

    /// <summary>The front-end says there is no such order (404).</summary>
    Missing,

    /// <summary>No usable reply came, even after retries (timeouts, 5xx, malformed bodies).</summary>
    Unverified,
}

/// <summary>
/// Compares order-query replies with what was placed. Every outcome other than <see cref="VerificationOutcome.Match"/>
/// is a verification failure; the counts are kept per verifier and summed across sessions.
/// </summary>
public sealed class OrderVerifier
{
    private readonly List<string> _failures = [];

    public int Checked { get; private set; }

    public int Matched { get; private set; }

    public int Mismatched { get; private set; }

    public int Missing { get; private set; }

    public int Unverified { get; private set; }

    public int Failures => Mismatched + Missing + Unverified;

    /// <summary>A readable line for each failure (the first few are printed).</summary>
    public IReadOnlyList<string> FailureDetails => _failures;

    public static VerificationOutcome Classify(PlacedOrder placed, int status, OrderRecord? reply)
    {
        if (status == 404)
        {
            return VerificationOutcome.Missing;
        }

        if (status is < 200 or >= 300 || reply is null)
        {
            return VerificationOutcome.Unverified;
        }

        var matches = reply.Number == placed.TransactionNumber
            && string.Equals(reply.Name, placed.Name, StringComparison.Ordinal)
            && reply.Type == placed.Type
            && reply.Quantity == placed.Quantity;
        return matches ? VerificationOutcome.Match : VerificationOutcome.Mismatch;
    }

    public VerificationOutcome Check(PlacedOrder placed, int status, OrderRecord? reply)
    {
        var outcome = Classify(placed, status, reply);
        Checked++;
        switch (outcome)
        {
            case VerificationOutcome.Match:
                Matched++;
                break;
            case VerificationOutcome.Mismatch:
                Mismatched++;
                _failures.Add($"order {placed.TransactionNumber}: placed {Describe(placed)}, queried {reply!.Number} {reply.Name} {Label(reply.Type)} {reply.Quantity}");
                break;
            case VerificationOutcome.Missing:
                Missing++;
                _failures.Add($"order {placed.TransactionNumber}: placed {Describe(placed)}, the front-end says it does not exist");
                break;
            default:
                Unverified++;
                _failures.Add($"order {placed.TransactionNumber}: placed {Describe(placed)}, no usable reply (status {status})");
                break;
        }

        return outcome;
    }

    /// <summary>Adds another verifier's counts to this one.</summary>
    public void Add(OrderVerifier other)
    {
        Checked += other.Checked;
        Matched += other.Matched;
        Mismatched += other.Mismatched;
        Missing += other.Missing;
        Unverified += other.Unverified;
        _failures.AddRange(other._failures);
    }

    private static string Describe(PlacedOrder order) => $"{order.Name} {Label(order.Type)} {order.Quantity}";

    private static string Label(TradeType type) => type == TradeType.Buy ? "buy" : "sell";
}
