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

    [Fact]
    public async Task TryLog_EntryGoesToItsFollowerAlone_ItsRequestStartsAfterTheNumberingLockIsLeft()
    {
        using var dir = new TempDirectory();
        using var log = OrderLog.Open(dir.File("log.db"));
        OrderNumbering? numbering = null;
        var lockFree = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The follower's request arrives on the writer's own call (nothing else is in flight): another writer, on another
        // thread, must be able to take the numbering lock meanwhile. Bounded: a held lock would block it for good.
        using var http = new HttpClient(new ProbeHandler(() =>
            lockFree.TrySetResult(Task.Run(() => numbering!.TryRelease(-10)).Wait(TimeSpan.FromSeconds(10)))));
        var (state, created, replication) = Create(log, http, Follower);
        numbering = created;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // Run here, not as a hosted service, so that the follower's pump runs before the entry is logged.
        var supervised = Task.WhenAll(replication.Pumps.Select(pump => FollowerPumps.SuperviseAsync(pump, NullLogger.Instance, stopping.Token)));
        state.Announce(Self, 1);
        numbering.TryResetNextNumber(1);
        state.TryCompleteRecovery(1);

        var attempt = numbering.TryLog(new TradeRequest("GOOG", TradeType.Buy, 1), "k", 1, wanted: 0, stopping.Token);
        var outcome = await attempt.Replicated!;

        Assert.True(await lockFree.Task, "the follower's request was started while its writer held the numbering lock");
        Assert.Equal(ReplicationOutcome.Committed, outcome);
        await stopping.CancelAsync();
        await supervised;
        replication.Dispose();
    }

    private const string Follower = "http://127.0.0.1:2";

    private static (ReplicaState State, OrderNumbering Numbering) Create(OrderLog log)
    {
        var (state, numbering, _) = Create(log, new HttpClient());
        return (state, numbering);
    }

    private static (ReplicaState State, OrderNumbering Numbering, ReplicationManager Replication) Create(OrderLog log, HttpClient http, params string[] followers)
    {
        var options = Options.Create(new OrderOptions { ReplicaId = 1, Replicas = string.Join(',', [Self, .. followers]) });
        var topology = new ClusterTopology(options);
        var state = new ReplicaState(log, topology, NullLogger<ReplicaState>.Instance);
        var replication = new ReplicationManager(new OrderReplicaClient(http), topology, options, NullLogger<ReplicationManager>.Instance);
        return (state, new OrderNumbering(log, state, replication), replication);
    }

    // A follower that runs probe as each request arrives, before anything of the request awaits, and stores the entries.
    private sealed class ProbeHandler(Action probe) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            probe();
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
