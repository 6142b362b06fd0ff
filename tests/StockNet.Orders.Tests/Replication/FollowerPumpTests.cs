using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StockNet.Cluster;
using StockNet.Contracts;
using StockNet.Hosting;
using StockNet.Protocol;
using StockNet.Orders.Replication;
using StockNet.Orders.Tests.Infrastructure;

namespace StockNet.Orders.Tests.Replication;

public sealed class FollowerPumpTests
{
    private static OrderEntry Entry(long number, long epoch = 1) => new(number, "GOOG", TradeType.Buy, 1, $"k{number}", epoch);

    [Fact]
    public async Task SendAsync_BatchUnanswered_EntriesResentWithNextBatch()
    {
        var received = new ConcurrentQueue<long>();
        await using var follower = await FollowerFailingFirstBatchAsync(received);
        using var http = new HttpClient();
        using var stopping = new CancellationTokenSource();
        var pump = new FollowerPump(new ReplicaAddress(2, follower.Url), new OrderReplicaClient(http), TimeSpan.FromSeconds(5));
        _ = pump.RunAsync(stopping.Token);

        var first = await pump.SendAsync(Entry(0));
        var second = await pump.SendAsync(Entry(1));
        pump.Complete();
        await stopping.CancelAsync();

        Assert.Equal(ReplicaAck.Failed, first);
        Assert.Equal(ReplicaAck.Accepted, second);
        Assert.Equal([0L, 1L], received.Order());
    }

    [Fact]
    public async Task SendAsync_LastBatchUnanswered_ResentAloneWithoutANewEntry()
    {
        var received = new ConcurrentQueue<long>();
        await using var follower = await FollowerFailingFirstBatchAsync(received);
        using var http = new HttpClient();
        using var stopping = new CancellationTokenSource();
        var pump = new FollowerPump(new ReplicaAddress(2, follower.Url), new OrderReplicaClient(http), TimeSpan.FromSeconds(5));
        _ = pump.RunAsync(stopping.Token);

        var ack = await pump.SendAsync(Entry(0));
        await Eventually.UntilAsync(() => Task.FromResult(pump.Lag == 0), "the kept entry delivered");
        await stopping.CancelAsync();

        Assert.Equal(ReplicaAck.Failed, ack);
        Assert.Equal([0L], received);
    }

    [Fact]
    public async Task SendAsync_FollowerDown_Failed()
    {
        using var http = new HttpClient();
        using var stopping = new CancellationTokenSource();
        using var followerDown = RefusingPort.Hold();
        var pump = new FollowerPump(new ReplicaAddress(2, followerDown.Url), new OrderReplicaClient(http), TimeSpan.FromSeconds(2));
        _ = pump.RunAsync(stopping.Token);

        var ack = await pump.SendAsync(Entry(0));
        await stopping.CancelAsync();

        Assert.Equal(ReplicaAck.Failed, ack);
    }

    [Fact]
    public async Task Supervise_LoopThrows_FailureLoggedAndLaterEntriesDelivered()
    {
        var calls = 0;
        using var http = new HttpClient(new StubHandler(() => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("a bug in the send path")
            : new HttpResponseMessage(System.Net.HttpStatusCode.OK)));
        using var stopping = new CancellationTokenSource();
        var logger = new CountingLogger();
        var pump = new FollowerPump(new ReplicaAddress(2, "http://127.0.0.1:1"), new OrderReplicaClient(http), TimeSpan.FromSeconds(5));
        var supervised = FollowerPumps.SuperviseAsync(pump, logger, stopping.Token);

        var first = await pump.SendAsync(Entry(0));
        var second = await pump.SendAsync(Entry(1));
        await stopping.CancelAsync();
        await supervised;

        Assert.Equal(ReplicaAck.Failed, first);
        Assert.Equal(ReplicaAck.Accepted, second);
        Assert.Equal(1, logger.Errors);
    }

    [Fact]
    public async Task SendAsync_NothingInFlight_SentOnTheCallersOwnCall()
    {
        var follower = new GatedFollower(gateFirst: false);
        using var running = new RunningPump(follower);
        var pump = running.Pump;

        Caller.Value = "the caller";
        var ack = await pump.SendAsync(Entry(0));
        await running.StopAsync();

        Assert.Equal(ReplicaAck.Accepted, ack);
        Assert.Equal(["the caller"], follower.Callers);
    }

    [Fact]
    public async Task SendAsync_WhileABatchIsInFlight_LaterEntriesGoTogetherAndEveryOneHearsItsAnswer()
    {
        var follower = new GatedFollower(gateFirst: true, answerLater: System.Net.HttpStatusCode.ServiceUnavailable);
        using var running = new RunningPump(follower);
        var pump = running.Pump;

        var first = pump.SendAsync(Entry(0));
        await follower.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var later = new[] { pump.SendAsync(Entry(1)), pump.SendAsync(Entry(2)), pump.SendAsync(Entry(3)) };
        Assert.All(later, ack => Assert.False(ack.IsCompleted));
        follower.Release.SetResult();
        var acks = await Task.WhenAll([first, .. later]);
        await running.StopAsync();

        Assert.Equal([ReplicaAck.Accepted, ReplicaAck.Failed, ReplicaAck.Failed, ReplicaAck.Failed], acks);
        Assert.Equal([[0L], [1L, 2L, 3L]], follower.Batches.Take(2));
    }

    [Fact]
    public async Task SendAsync_BacklogOfEntriesWaiting_NextOneFailedAtOnceAndNeverSent()
    {
        var follower = new GatedFollower(gateFirst: true);
        using var running = new RunningPump(follower);
        var pump = running.Pump;
        var first = pump.SendAsync(Entry(0));
        await follower.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var waiting = Enumerable.Range(1, FollowerPump.MaxBacklog).Select(i => pump.SendAsync(Entry(i))).ToList();

        var beyond = pump.SendAsync(Entry(FollowerPump.MaxBacklog + 1));
        var failedAtOnce = beyond.IsCompleted;
        follower.Release.SetResult();
        var acks = await Task.WhenAll(waiting.Prepend(first));
        await running.StopAsync();

        Assert.True(failedAtOnce, "an entry beyond the bound was queued");
        Assert.Equal(ReplicaAck.Failed, await beyond);
        Assert.All(acks, ack => Assert.Equal(ReplicaAck.Accepted, ack));
        Assert.Equal(FollowerPump.MaxBacklog + 1, follower.Batches.Sum(batch => batch.Length));
        Assert.DoesNotContain(follower.Batches, batch => batch.Contains(FollowerPump.MaxBacklog + 1));
    }

    // A follower that answers its first batch with 503 and stores every later one, noting each entry's number.
    private static Task<StubServer> FollowerFailingFirstBatchAsync(ConcurrentQueue<long> received)
    {
        var calls = 0;
        return StubServer.StartAsync(app => app.MapPost(Routes.ReplicateOrders, async (HttpRequest request) =>
        {
            var body = await RequestBody.ReadAsync(request, request.HttpContext.RequestAborted);
            if (Interlocked.Increment(ref calls) == 1)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            foreach (var entry in System.Text.Json.JsonSerializer.Deserialize(body, StockNetJsonContext.Default.DataEnvelopeOrderEntryArray)!.Data)
            {
                received.Enqueue(entry.TransactionNumber);
            }

            return Results.Ok();
        }));
    }

    private static readonly AsyncLocal<string?> Caller = new();

    // A pump to a gated follower with its loop running until the test stops it.
    private sealed class RunningPump : IDisposable
    {
        private readonly HttpClient _http;
        private readonly CancellationTokenSource _stopping = new();

        public RunningPump(GatedFollower follower)
        {
            _http = new HttpClient(follower);
            Pump = new FollowerPump(new ReplicaAddress(2, "http://127.0.0.1:1"), new OrderReplicaClient(_http), TimeSpan.FromSeconds(5));
            _ = Pump.RunAsync(_stopping.Token);
        }

        public FollowerPump Pump { get; }

        public Task StopAsync() => _stopping.CancelAsync();

        public void Dispose()
        {
            _stopping.Dispose();
            _http.Dispose();
        }
    }

    // A follower that notes each batch's numbers and whose call it came on (the caller's async-local value, or none on the
    // loop); it holds the first batch until released when asked to, and answers the later ones with answerLater.
    private sealed class GatedFollower(bool gateFirst, System.Net.HttpStatusCode answerLater = System.Net.HttpStatusCode.OK) : HttpMessageHandler
    {
        private int _calls;

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<long[]> Batches { get; } = new();

        public ConcurrentQueue<string?> Callers { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Callers.Enqueue(Caller.Value);
            var batch = await request.Content!.ReadFromJsonAsync(StockNetJsonContext.Default.ReplicationBatch, cancellationToken);
            Batches.Enqueue([.. batch!.Data.Select(entry => entry.TransactionNumber)]);
            if (Interlocked.Increment(ref _calls) > 1)
            {
                return new HttpResponseMessage(answerLater);
            }

            FirstArrived.SetResult();
            if (gateFirst)
            {
                await Release.Task.WaitAsync(cancellationToken);
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }

    private sealed class StubHandler(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }

    private sealed class CountingLogger : Microsoft.Extensions.Logging.ILogger
    {
        private int _errors;

        public int Errors => _errors;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Error)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
