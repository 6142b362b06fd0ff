using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.Orders.Replication;

namespace StockNet.Orders.Tests.Replication;

public sealed class ReplicationManagerTests
{
    private const string Silent = "http://127.0.0.1:2";
    private const string Slow = "http://127.0.0.1:3";

    [Fact]
    public async Task ReplicateAsync_OneFollowerSilentAnotherBehindASlowBatch_OneDeadlineForBoth()
    {
        // Wide margins either side of the deadline: the first answer comes well inside it, the second well after.
        var timeout = TimeSpan.FromSeconds(2);
        var slowCalls = 0;
        var firstBatchArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient(new RoutingHandler(async (request, cancellationToken) =>
        {
            if (request.RequestUri!.ToString().StartsWith(Silent, StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Interlocked.Increment(ref slowCalls) == 1)
            {
                firstBatchArrived.SetResult();
                await Task.Delay(timeout * 0.5, cancellationToken);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }

            // Answers after the deadline of the entry that queued behind the first batch, inside a second one.
            await Task.Delay(timeout * 0.75, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent("""{"error":{"code":409,"message":"newer","type":"stale-epoch"}}""", Encoding.UTF8, MediaTypes.Json),
            };
        }));
        var options = Options.Create(new OrderOptions { ReplicaId = 1, Replicas = $"http://127.0.0.1:1,{Silent},{Slow}", ReplicationTimeout = timeout });
        using var manager = new ReplicationManager(new OrderReplicaClient(http), new ClusterTopology(options), options, NullLogger<ReplicationManager>.Instance);
        using var stopping = new CancellationTokenSource();
        var pumps = new FollowerPumps(manager, NullLogger<FollowerPumps>.Instance);
        await pumps.StartAsync(stopping.Token);

        var first = manager.ReplicateAsync(new OrderEntry(0, "GOOG", TradeType.Buy, 1, "a", 1), null, stopping.Token);
        await firstBatchArrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        var second = await manager.ReplicateAsync(new OrderEntry(1, "GOOG", TradeType.Buy, 1, "b", 1), null, stopping.Token);

        // The slow follower's stale-epoch answer came after the one deadline: it was skipped, not waited for; and with
        // the silent one skipped too, the leader alone is no majority of three.
        Assert.Equal(ReplicationOutcome.NoQuorum, second);
        Assert.Equal(ReplicationOutcome.Committed, await first);
        await stopping.CancelAsync();
        await pumps.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(true, ReplicationOutcome.Committed)]
    [InlineData(false, ReplicationOutcome.NoQuorum)]
    public async Task ReplicateAsync_OneFollowerSilent_CommittedOnlyWhenTheOtherStores(bool otherStores, ReplicationOutcome expected)
    {
        using var http = new HttpClient(new RoutingHandler(async (request, cancellationToken) =>
        {
            if (!otherStores || request.RequestUri!.ToString().StartsWith(Silent, StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }));
        var options = Options.Create(new OrderOptions
        {
            ReplicaId = 1, Replicas = $"http://127.0.0.1:1,{Silent},{Slow}", ReplicationTimeout = TimeSpan.FromMilliseconds(200),
        });
        using var manager = new ReplicationManager(new OrderReplicaClient(http), new ClusterTopology(options), options, NullLogger<ReplicationManager>.Instance);
        using var stopping = new CancellationTokenSource();
        var pumps = new FollowerPumps(manager, NullLogger<FollowerPumps>.Instance);
        await pumps.StartAsync(stopping.Token);

        var outcome = await manager.ReplicateAsync(new OrderEntry(0, "GOOG", TradeType.Buy, 1, "a", 1), null, stopping.Token);

        Assert.Equal(expected, outcome);
        await stopping.CancelAsync();
        await pumps.StopAsync(TestContext.Current.CancellationToken);
    }

    private sealed class RoutingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(request, cancellationToken);
    }
}
