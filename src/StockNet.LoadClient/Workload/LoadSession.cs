using StockNet.Contracts;
using StockNet.LoadClient.Measurement;
using StockNet.Protocol;

namespace StockNet.LoadClient.Workload;

/// <summary>
/// One simulated user (design 4.1): look up a random stock, trade it with probability p, think, repeat;
/// then query every order it placed and check the reply. The iterations stop early when the run's deadline
/// passes; the orders placed until then are still verified.
/// </summary>
public sealed class LoadSession(FrontEndClient client, SessionSettings settings, Random random, TimeProvider timeProvider)
{
    private readonly SessionResult _result = new(new LatencyRecorder(keepSamples: true), new OrderVerifier());
    private readonly List<PlacedOrder> _placed = [];

    /// <summary>The first phase: the iterations.</summary>
    public async Task IterateAsync(DateTimeOffset deadline, ProgressCounter progress, CancellationToken cancellationToken)
    {
        for (var i = 0; i < settings.Iterations && timeProvider.GetUtcNow() < deadline; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RunIterationAsync(_result, _placed, cancellationToken);
            _result.Iterations++;
            progress.Increment();
            await ThinkAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The second phase: query every order placed. The runner starts it once every session of the run has
    /// finished its iterations, so that every order query is measured under the same conditions (the
    /// sessions' queries and nothing else) whichever session finished first: when a session verified as soon
    /// as it was done, its queries met the others' trades for as long as those ran, which the seed decided, and
    /// the order-query p99 of two seeds differed by up to a third.
    /// </summary>
    public async Task<SessionResult> VerifyAsync(CancellationToken cancellationToken)
    {
        foreach (var order in _placed)
        {
            await VerifyAsync(order, _result, cancellationToken);
        }

        return _result;
    }

    private async Task RunIterationAsync(SessionResult result, List<PlacedOrder> placed, CancellationToken cancellationToken)
    {
        var name = settings.Stocks[random.Next(settings.Stocks.Count)];
        var lookup = await client.LookupAsync(name, cancellationToken);
        result.Recorder.Record(RequestKind.Lookup, lookup.StartTimestamp, lookup.EndTimestamp, lookup.Status, !lookup.IsSuccess);
        if (lookup.CacheHit)
        {
            result.CacheHits++;
        }

        if (random.NextDouble() >= settings.TradeProbability)
        {
            return;
        }

        var trade = new TradeRequest(name, random.Next(2) == 0 ? TradeType.Buy : TradeType.Sell, random.Next(1, settings.MaxQuantity + 1));
        var reply = await client.TradeAsync(trade, cancellationToken);
        var refused = IsRefusedForStock(reply.Status, reply.ErrorType, trade.Type);
        result.Recorder.Record(RequestKind.Trade, reply.StartTimestamp, reply.EndTimestamp, reply.Status, !reply.IsSuccess && !refused);
        if (refused)
        {
            result.RefusedBuys++;
        }
        else if (reply.IsSuccess)
        {
            placed.Add(new PlacedOrder(reply.Value!.TransactionNumber, trade.Name, trade.Type, trade.Quantity));
            result.OrdersPlaced++;
        }
    }

    /// <summary>
    /// A buy refused for lack of stock is the system working, not an error. Our front-end says so with the
    /// error type "insufficient-stock"; a seed-style front-end gives no type, and then any 400 to a buy
    /// counts as refused (this client only sends well-formed bodies).
    /// </summary>
    public static bool IsRefusedForStock(int status, string? errorType, TradeType type) =>
        status == 400 && type == TradeType.Buy && errorType is null or ErrorTypes.InsufficientStock;

    private async Task VerifyAsync(PlacedOrder order, SessionResult result, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reply = await client.QueryOrderAsync(order.TransactionNumber, cancellationToken);
            var outcome = OrderVerifier.Classify(order, reply.Status, reply.Value);
            result.Recorder.Record(RequestKind.OrderQuery, reply.StartTimestamp, reply.EndTimestamp, reply.Status, outcome != VerificationOutcome.Match);

            // Only a missing reply is worth asking again (a leader change in progress); a wrong or
            // absent order is a definite answer.
            if (outcome != VerificationOutcome.Unverified || attempt >= settings.VerifyAttempts)
            {
                result.Verifier.Check(order, reply.Status, reply.Value);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), timeProvider, cancellationToken);
        }
    }

    private Task ThinkAsync(CancellationToken cancellationToken)
    {
        var maxMs = (int)settings.MaxThinkTime.TotalMilliseconds;
        return maxMs <= 0
            ? Task.CompletedTask
            : Task.Delay(TimeSpan.FromMilliseconds(random.Next(maxMs + 1)), timeProvider, cancellationToken);
    }
}
