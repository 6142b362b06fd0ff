using System.Net;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.FrontEnd.Orders;
using StockNet.FrontEnd.Tests.Leadership;

namespace StockNet.FrontEnd.Tests.Orders;

public sealed class OrderForwarderTests : IDisposable
{
    private static readonly TradeRequest _trade = new("GOOG", TradeType.Buy, 3);
    private readonly ElectorFixture _fixture = new(3, TimeProvider.System);
    private readonly OrderForwarder _forwarder;

    public OrderForwarderTests() =>
        _forwarder = new OrderForwarder(
            _fixture.State,
            _fixture.Elector,
            _fixture.Client,
            Options.Create(new FrontEndOptions { OrderReplicas = _fixture.Replicas.OrderReplicasOption }),
            TimeProvider.System);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task PlaceOrderAsync_NoLeaderYet_ElectsAndForwardsToHighest()
    {
        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-1", Token);

        Assert.Equal(200, reply!.Status);
        Assert.Equal(["key-1"], _fixture.Replicas[3].OrderKeys);
    }

    [Fact]
    public async Task PlaceOrderAsync_LeaderDown_RetriesOnNextLeaderWithSameKey()
    {
        await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Up = false;

        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-2", Token);

        Assert.Equal(200, reply!.Status);
        Assert.Equal(["key-2"], _fixture.Replicas[2].OrderKeys);
        Assert.Equal(2, _fixture.State.Current!.ReplicaId);
    }

    [Fact]
    public async Task PlaceOrderAsync_LeaderSaysNotLeaderThenRecovering_RetriesWithSameKey()
    {
        await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].ScriptedOrderReplies.Enqueue(HttpStatusCode.Forbidden);
        _fixture.Replicas[3].ScriptedOrderReplies.Enqueue(HttpStatusCode.ServiceUnavailable);

        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-3", Token);

        Assert.Equal(200, reply!.Status);
        Assert.Equal(["key-3", "key-3", "key-3"], _fixture.Replicas[3].OrderKeys);
    }

    [Fact]
    public async Task PlaceOrderAsync_LeaderSaysNoQuorumAndStepsDown_SameKeyOnTheNewLeader()
    {
        await _fixture.Elector.ElectAsync(Token);
        const string body = """{"error":{"code":503,"message":"No majority.","type":"no-quorum"}}""";
        _fixture.Replicas[3].ScriptedOrderBodies.Enqueue((HttpStatusCode.ServiceUnavailable, body));
        _fixture.Replicas[3].LeaderId = null;

        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-q", Token);

        Assert.Equal(200, reply!.Status);
        Assert.Equal(["key-q"], _fixture.Replicas[3].OrderKeys);
        Assert.Equal(["key-q"], _fixture.Replicas[2].OrderKeys);
        Assert.Equal(2, _fixture.State.Current!.ReplicaId);
    }

    [Fact]
    public async Task PlaceOrderAsync_LeaderAnswers400_PassedThroughWithoutRetry()
    {
        await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].ScriptedOrderReplies.Enqueue(HttpStatusCode.BadRequest);

        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-4", Token);

        Assert.Equal(400, reply!.Status);
        Assert.Equal("""{"error":{"code":400,"message":"Scripted."}}""", System.Text.Encoding.UTF8.GetString(reply.Body));
        Assert.Single(_fixture.Replicas[3].OrderKeys);
    }

    [Fact]
    public async Task PlaceOrderAsync_ElectionFindsNoMajorityThenReplicasReturn_ForwardedWithinTheBudget()
    {
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            replica.Ready = false;
        }

        var placing = _forwarder.PlaceOrderAsync(_trade, "key-r", Token);
        while (_fixture.Replicas.Replicas.Sum(r => r.Pings) < 3)
        {
            await Task.Delay(5, Token);
        }

        Assert.False(placing.IsCompleted);
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            replica.Ready = true;
        }

        var reply = await placing.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.Equal(200, reply!.Status);
        Assert.Equal(["key-r"], _fixture.Replicas[3].OrderKeys);
    }

    [Fact]
    public async Task PlaceOrderAsync_NoReplicaUp_ReturnsNull()
    {
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            replica.Up = false;
        }

        Assert.Null(await _forwarder.PlaceOrderAsync(_trade, "key-5", Token));
    }

    [Fact]
    public async Task PlaceOrderAsync_LeaderSaysCatalogUnavailable_PassedThroughWithoutElection()
    {
        var leader = await _fixture.Elector.ElectAsync(Token);
        const string body = """{"error":{"code":503,"message":"The catalog is unavailable.","type":"catalog-unavailable"}}""";
        _fixture.Replicas[3].ScriptedOrderBodies.Enqueue((HttpStatusCode.ServiceUnavailable, body));

        var reply = await _forwarder.PlaceOrderAsync(_trade, "key-c", Token);

        Assert.Equal(503, reply!.Status);
        Assert.Equal("catalog-unavailable", reply.ErrorType());
        Assert.Equal(["key-c"], _fixture.Replicas[3].OrderKeys);
        Assert.Same(leader, _fixture.State.Current);
        Assert.Empty(_fixture.Replicas[2].OrderKeys);
    }
}
