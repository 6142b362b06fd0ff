using StockNet.Chaos;
using StockNet.Contracts;

namespace StockNet.Chaos.Tests;

public sealed class InvariantCheckerTests
{
    [Fact]
    public void Check_ConsistentHistory_Passes()
    {
        var report = InvariantChecker.Check(new SnapshotBuilder().Build());

        Assert.True(report.Passed);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Empty(report.Violations);
    }

    [Fact]
    public void Check_AcknowledgedOrderMissingOnOneReplica_CountsItLost()
    {
        var builder = new SnapshotBuilder();
        builder.LogOverrides["order-2"] = [.. builder.Orders.Where(order => order.TransactionNumber != 2)];

        var report = InvariantChecker.Check(builder.Build());

        Assert.Equal(1, report.Lost);
        Assert.Contains(report.Violations, violation => violation.Invariant == "lost-order" && violation.Detail == "Acknowledged #2 (key k2) at 0.0 s is missing on order-2.");
        Assert.Contains(report.Violations, violation => violation.Invariant == "diverging-logs");
    }

    [Fact]
    public void Check_AcknowledgedOrderMissingEverywhere_IsLostAndUnappliedInCatalog()
    {
        var builder = new SnapshotBuilder();
        builder.Orders.RemoveAt(2);

        var report = InvariantChecker.Check(builder.Build());

        Assert.Equal(1, report.Lost);
        Assert.Contains(report.Violations, violation => violation.Invariant == "lost-order" && violation.Detail == "Acknowledged #3 (key k3) at 0.0 s is missing on order-1, order-2, order-3.");
        Assert.Contains(report.Violations, violation => violation.Invariant == "orphan-catalog-trade");
        Assert.Contains(report.Violations, violation => violation.Invariant == "quantity-mismatch" && violation.Detail == "GOOG: the catalog holds 97, the log says 95 (initial 100).");
    }

    [Fact]
    public void Check_TransactionNumberUsedTwice_ReportsDuplicateNumber()
    {
        var builder = new SnapshotBuilder();
        builder.Orders.Add(new OrderEntry(3, "MSFT", TradeType.Sell, 1, "k4", 1));
        builder.Journal.Add(new AppliedTrade(4, "k4", "MSFT", TradeType.Sell, 1, 103, 2));
        builder.Final["MSFT"] = 103;

        var report = InvariantChecker.Check(builder.Build());

        Assert.Equal(3, report.Violations.Count(violation => violation.Invariant == "duplicate-number"));
        Assert.Equal("order-1: transaction 3 is used twice.", report.Violations[0].Detail);
        Assert.Equal(0, report.Duplicated);
    }

    [Fact]
    public void Check_KeyLoggedTwice_CountsItDuplicated()
    {
        var builder = new SnapshotBuilder();
        builder.Orders.Add(new OrderEntry(4, "GOOG", TradeType.Sell, 2, "k3", 2));
        builder.Final["GOOG"] = 99;

        var report = InvariantChecker.Check(builder.Build());

        Assert.Equal(1, report.Duplicated);
        Assert.Equal(3, report.Violations.Count(violation => violation.Invariant == "duplicate-key"));
        Assert.Contains(report.Violations, violation => violation.Detail == "order-1: key k3 is logged twice (again as transaction 4).");
    }

    [Fact]
    public void Check_CatalogAppliedKeyTwice_CountsItDuplicated()
    {
        var builder = new SnapshotBuilder();
        builder.Journal.Add(new AppliedTrade(4, "k1", "GOOG", TradeType.Buy, 5, 92, 3));
        builder.Final["GOOG"] = 92;

        var report = InvariantChecker.Check(builder.Build());

        Assert.Equal(1, report.Duplicated);
        Assert.Contains(report.Violations, violation => violation.Invariant == "catalog-applied-twice" && violation.Detail == "Catalog trade #4: key k1 was applied before.");
        Assert.Contains(report.Violations, violation => violation.Invariant == "quantity-mismatch");
    }

    [Fact]
    public void Check_DivergingLogs_ReportsFirstDifference()
    {
        var builder = new SnapshotBuilder();
        builder.LogOverrides["order-3"] = [builder.Orders[0], builder.Orders[1], new OrderEntry(3, "GOOG", TradeType.Sell, 1, "k3", 1)];

        var report = InvariantChecker.Check(builder.Build());

        var diverging = Assert.Single(report.Violations, violation => violation.Invariant == "diverging-logs");
        Assert.Equal("order-1 and order-3 differ at position 2: #3 Sell 2 GOOG key k3 vs #3 Sell 1 GOOG key k3.", diverging.Detail);
        Assert.Contains(report.Violations, violation => violation.Invariant == "acknowledged-mismatch" && violation.Detail.StartsWith("order-3: key k3", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_QuantityDiffersFromLog_ReportsMismatch()
    {
        var builder = new SnapshotBuilder();
        builder.Final["MSFT"] = 101;

        var report = InvariantChecker.Check(builder.Build());

        var mismatch = Assert.Single(report.Violations);
        Assert.Equal(new Violation("quantity-mismatch", "MSFT: the catalog holds 101, the log says 102 (initial 100)."), mismatch);
    }

    [Fact]
    public void Check_CatalogTradeWithoutOrder_ReportsOrphan()
    {
        var builder = new SnapshotBuilder();
        builder.Journal.Add(new AppliedTrade(4, "k9", "MSFT", TradeType.Buy, 1, 101, 2));
        builder.Final["MSFT"] = 101;

        var report = InvariantChecker.Check(builder.Build());

        Assert.Contains(new Violation("orphan-catalog-trade", "Catalog trade #4 (Buy 1 MSFT, key k9) is in no order log."), report.Violations);
        Assert.Contains(report.Violations, violation => violation.Invariant == "quantity-mismatch");
        Assert.Equal(0, report.Lost);
    }

    [Fact]
    public void Check_OrphanOfUnknownOutcome_SaysSo()
    {
        var builder = new SnapshotBuilder();
        builder.Journal.Add(new AppliedTrade(4, "k9", "MSFT", TradeType.Buy, 1, 101, 2));
        builder.Final["MSFT"] = 101;
        var snapshot = builder.Build() with { UnknownKeys = new HashSet<string>(StringComparer.Ordinal) { "k9" } };

        var report = InvariantChecker.Check(snapshot);

        Assert.Contains(new Violation("orphan-catalog-trade", "Catalog trade #4 (Buy 1 MSFT, key k9) is in no order log; its client gave up with an unknown outcome."), report.Violations);
    }

    [Fact]
    public void Check_LoggedOrderNeverApplied_ReportsUnapplied()
    {
        var builder = new SnapshotBuilder();
        builder.Journal.RemoveAt(1);
        builder.Final["MSFT"] = 100;

        var report = InvariantChecker.Check(builder.Build());

        Assert.Contains(new Violation("unapplied-order", "Order #2 Sell 2 MSFT key k2 (key k2) is logged but the catalog never applied it."), report.Violations);
    }

    [Fact]
    public void Check_UnacknowledgedOrderLoggedAndApplied_Passes()
    {
        var builder = new SnapshotBuilder();
        builder.Acknowledged.RemoveAt(0);

        var report = InvariantChecker.Check(builder.Build());

        Assert.True(report.Passed);
    }
}
