using System.Diagnostics;
using System.Globalization;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Chaos;

/// <summary>
/// Several clients, each looping: a lookup of a random stock, then a trade with some probability, each trade
/// with its own Idempotency-Key. A trade is acknowledged only on 200 with a number; a failure without a definite
/// answer is retried with the same key a few times and otherwise recorded as an unknown outcome.
/// </summary>
internal sealed class ChaosLoad(IReadOnlyList<FrontEndClient> frontEnds, IReadOnlyList<string> stocks, ChaosOptions options, LoadLedger ledger, Stopwatch clock)
{
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Makes keys unique across runs against the same cluster.</summary>
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(1, options.Clients).Select(client => Task.Run(() => RunClientAsync(client, stop), CancellationToken.None)));

    private async Task RunClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(options.Seed, client));
        // Clients spread over the front-ends, each keeping to one as a real client would.
        var frontEnd = frontEnds[(client - 1) % frontEnds.Count];
        var outage = new OutageTracker(ledger, clock, client, frontEnd.BaseAddress.ToString());
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var stock = stocks[random.Next(stocks.Count)];
            outage.Record(await LookupAsync(frontEnd, stock), trade: false);
            if (random.NextDouble() < options.TradeProbability)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"chaos-{_runId}-{client}-{sequence}");
                var type = random.Next(2) == 0 ? TradeType.Buy : TradeType.Sell;
                outage.Record(await TradeAsync(frontEnd, new TradeRequest(stock, type, random.Next(1, 6)), key), trade: true);
            }

            await ThinkAsync(random, stop);
        }

        outage.Close();
    }

    private async Task<bool> LookupAsync(FrontEndClient frontEnd, string stock)
    {
        var started = clock.Elapsed;
        // Any 2xx counts, whatever its body; no answer counts like an error status.
        var reply = await frontEnd.LookupAsync(stock, CancellationToken.None);
        if (reply.Status is >= 200 and < 300)
        {
            ledger.LookupSucceeded();
            ledger.Timeline.Record(TimelineKind.Lookup, succeeded: true, started, clock.Elapsed - started);
            return true;
        }

        ledger.LookupFailed();
        ledger.Timeline.Record(TimelineKind.Lookup, succeeded: false, started, clock.Elapsed - started);
        return false;
    }

    /// <summary>True when the service answered definitely (200 or 4xx); false when the outcome stays unknown.</summary>
    private async Task<bool> TradeAsync(FrontEndClient frontEnd, TradeRequest trade, string key)
    {
        var started = clock.Elapsed;
        for (var attempt = 1; attempt <= options.TradeAttempts; attempt++)
        {
            if (attempt > 1)
            {
                ledger.Retried();
                await Task.Delay(RetryBackoff * attempt);
            }

            switch (await PostAsync(frontEnd, trade, key))
            {
                case { Number: { } number }:
                    ledger.Acknowledge(new AcknowledgedOrder(key, number, trade.Name, trade.Type, trade.Quantity, clock.Elapsed));
                    ledger.Timeline.Record(TimelineKind.Trade, succeeded: true, started, clock.Elapsed - started);
                    return true;
                case { Rejected: true } when attempt == 1:
                    ledger.TradeRejected();
                    return true;
                case { Rejected: true }:
                    // A refusal after an unknown attempt does not say what that attempt did.
                    attempt = options.TradeAttempts;
                    break;
            }
        }

        ledger.MarkUnknown(key);
        ledger.Timeline.Record(TimelineKind.Trade, succeeded: false, started, clock.Elapsed - started);
        return false;
    }

    private static async Task<(long? Number, bool Rejected)> PostAsync(FrontEndClient frontEnd, TradeRequest trade, string key)
    {
        var reply = await frontEnd.TradeAsync(trade, CancellationToken.None, key);
        return reply.Status == 200
            ? (reply.Value?.TransactionNumber, false)
            : (null, reply.Status is >= 400 and < 500 and not 408 and not 429);
    }

    private async Task ThinkAsync(Random random, CancellationToken stop)
    {
        if (options.MaxThinkTime <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(options.MaxThinkTime * random.NextDouble(), stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>One client's view of unavailability: from its first failure to its next success.</summary>
    private sealed class OutageTracker(LoadLedger ledger, Stopwatch clock, int client, string frontEnd)
    {
        private TimeSpan? _failingSince;
        private int _failedLookups;
        private int _failedTrades;

        public void Record(bool succeeded, bool trade)
        {
            if (!succeeded)
            {
                _failingSince ??= clock.Elapsed;
                _failedTrades += trade ? 1 : 0;
                _failedLookups += trade ? 0 : 1;
            }
            else if (_failingSince is { } since)
            {
                ledger.Outage(new ClientOutage(client, frontEnd, since, clock.Elapsed - since, _failedLookups, _failedTrades));
                (_failingSince, _failedLookups, _failedTrades) = (null, 0, 0);
            }
        }

        public void Close() => Record(succeeded: true, trade: false);
    }
}
