using StockNet.Contracts;
using StockNet.LoadClient.Workload;

namespace StockNet.LoadClient.Tests.Workload;

public sealed class OrderVerifierTests
{
    private static readonly PlacedOrder Placed = new(7, "GOOG", TradeType.Buy, 3);

    [Fact]
    public void Check_SameOrder_Match()
    {
        var verifier = new OrderVerifier();

        var outcome = verifier.Check(Placed, 200, new OrderRecord(7, "GOOG", TradeType.Buy, 3));

        Assert.Equal(VerificationOutcome.Match, outcome);
        Assert.Equal((1, 1, 0), (verifier.Checked, verifier.Matched, verifier.Failures));
    }

    [Theory]
    [InlineData(7, "GOOG", TradeType.Buy, 4)]
    [InlineData(7, "GOOG", TradeType.Sell, 3)]
    [InlineData(7, "MSFT", TradeType.Buy, 3)]
    [InlineData(8, "GOOG", TradeType.Buy, 3)]
    public void Check_WrongReply_Mismatch(long number, string name, TradeType type, int quantity)
    {
        var verifier = new OrderVerifier();

        var outcome = verifier.Check(Placed, 200, new OrderRecord(number, name, type, quantity));

        Assert.Equal(VerificationOutcome.Mismatch, outcome);
        Assert.Equal((1, 0, 1, 1), (verifier.Checked, verifier.Matched, verifier.Mismatched, verifier.Failures));
        Assert.Equal($"order 7: placed GOOG buy 3, queried {number} {name} {(type == TradeType.Buy ? "buy" : "sell")} {quantity}", Assert.Single(verifier.FailureDetails));
    }

    [Fact]
    public void Check_NotFound_Missing()
    {
        var verifier = new OrderVerifier();

        var outcome = verifier.Check(Placed, 404, null);

        Assert.Equal(VerificationOutcome.Missing, outcome);
        Assert.Equal((1, 1), (verifier.Missing, verifier.Failures));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(503)]
    [InlineData(200)]
    public void Check_NoUsableReply_Unverified(int status)
    {
        var verifier = new OrderVerifier();

        var outcome = verifier.Check(Placed, status, null);

        Assert.Equal(VerificationOutcome.Unverified, outcome);
        Assert.Equal((1, 1), (verifier.Unverified, verifier.Failures));
    }

    [Fact]
    public void Add_TwoSessions_CountsSummed()
    {
        var first = new OrderVerifier();
        first.Check(Placed, 200, new OrderRecord(7, "GOOG", TradeType.Buy, 3));
        first.Check(Placed, 404, null);
        var second = new OrderVerifier();
        second.Check(Placed, 200, new OrderRecord(7, "GOOG", TradeType.Buy, 1));

        first.Add(second);

        Assert.Equal((3, 1, 1, 1, 0, 2), (first.Checked, first.Matched, first.Mismatched, first.Missing, first.Unverified, first.Failures));
        Assert.Equal(2, first.FailureDetails.Count);
    }
}
