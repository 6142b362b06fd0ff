using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Orders.Leadership;
using StockNet.Orders.Placement;
using StockNet.Orders.Replication;
using StockNet.Orders.Tests.Infrastructure;
using StockNet.Protocol;

namespace StockNet.Orders.Tests.Placement;

public sealed class OrderNumberingTests
{
    private const string Self = "http://127.0.0.1:1";

    [Fact]
    public void TryResetNextNumber_AbandonedOlderRecoveryFinishesLate_ReservedNumbersNotGivenAgain()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        var (state, numbering) = Create(log);
        state.Announce(Self, 1);
        state.Announce(Self, 2);
        Assert.True(numbering.TryResetNextNumber(2));
        Assert.True(state.TryCompleteRecovery(2));
        Assert.True(numbering.TryReserve(2, out var first));
        Assert.True(numbering.TryReserve(2, out var second));

        // Epoch 1's recovery was overtaken by epoch 2's and only now ends: the reserved numbers stay reserved.
        Assert.False(numbering.TryResetNextNumber(1));
        Assert.True(numbering.TryReserve(2, out var third));

        Assert.Equal([0L, 1L, 2L], [first, second, third]);
    }

    [Fact]
    public void TryLog_KeyAlreadyLogged_AnswersThatEntryAndAppendsNothing()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        var (state, numbering) = Create(log);
        state.Announce(Self, 1);
        numbering.TryResetNextNumber(1);
        state.TryCompleteRecovery(1);
        log.Append(new OrderEntry(4, "GOOG", TradeType.Buy, 1, "k", 1));

        var attempt = numbering.TryLog(new TradeRequest("GOOG", TradeType.Buy, 1), "k", 1, wanted: 5, TestContext.Current.CancellationToken);

        Assert.Equal(LogAttemptKind.KeyHeld, attempt.Kind);
        Assert.Equal(4, attempt.Entry!.TransactionNumber);
        Assert.Equal(1, log.CountEntries());
    }

    private static (ReplicaState State, OrderNumbering Numbering) Create(OrderLog log)
    {
        var topology = new ClusterTopology(Options.Create(new OrderOptions { ReplicaId = 1, Replicas = Self }));
        var state = new ReplicaState(log, topology, NullLogger<ReplicaState>.Instance);
        var options = Options.Create(new OrderOptions { ReplicaId = 1, Replicas = Self });
        var replication = new ReplicationManager(new OrderReplicaClient(new HttpClient()), topology, options, NullLogger<ReplicationManager>.Instance);
        return (state, new OrderNumbering(log, state, replication));
    }
}
