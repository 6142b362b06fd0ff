using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using StockNet.Contracts;

namespace StockNet.Chaos;

/// <summary>
/// Several clients, each looping: a lookup of a random stock, then a trade with some probability, each trade
/// with its own Idempotency-Key. A trade is acknowledged only on 200 with a number; a failure without a definite
/// answer is retried with the same key a few times and otherwise recorded as an unknown outcome.
/// </summary>
internal sealed class ChaosLoad(HttpClient http, IReadOnlyList<Uri> frontEnds, IReadOnlyList<string> stocks, ChaosOptions options, LoadLedger ledger, Stopwatch clock)
{
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Makes keys unique across runs against the same cluster.</summary>
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(1, options.Clients).Select(client => Task.Run(() => RunClientAsync(client, stop), CancellationToken.None)));

    private async Task RunClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(options.Seed, client));
        var outage = new OutageTracker(ledger, clock);
        // Clients spread over the front-ends, each keeping to one as a real client would.
        var frontEnd = frontEnds[(client - 1) % frontEnds.Count];
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var stock = stocks[random.Next(stocks.Count)];
            outage.Record(await LookupAsync(frontEnd, stock));
            if (random.NextDouble() < options.TradeProbability)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"chaos-{_runId}-{client}-{sequence}");
                var type = random.Next(2) == 0 ? TradeType.Buy : TradeType.Sell;
                outage.Record(await TradeAsync(frontEnd, new TradeRequest(stock, type, random.Next(1, 6)), key));
            }

            await ThinkAsync(random, stop);
        }

        outage.Close();
    }

    private async Task<bool> LookupAsync(Uri frontEnd, string stock)
    {
        var started = clock.Elapsed;
        try
        {
            using var response = await http.GetAsync(new Uri(frontEnd, Routes.Stock(stock)));
            if (response.IsSuccessStatusCode)
            {
                ledger.LookupSucceeded();
                ledger.Timeline.Record(TimelineKind.Lookup, succeeded: true, started, clock.Elapsed - started);
                return true;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Counted below, like an error status.
        }

        ledger.LookupFailed();
        ledger.Timeline.Record(TimelineKind.Lookup, succeeded: false, started, clock.Elapsed - started);
        return false;
    }

    /// <summary>True when the service answered definitely (200 or 4xx); false when the outcome stays unknown.</summary>
    private async Task<bool> TradeAsync(Uri frontEnd, TradeRequest trade, string key)
    {
        var started = clock.Elapsed;
        var body = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"name\":\"{trade.Name}\",\"type\":\"{(trade.Type == TradeType.Buy ? "buy" : "sell")}\",\"quantity\":{trade.Quantity}}}"));
        for (var attempt = 1; attempt <= options.TradeAttempts; attempt++)
        {
            if (attempt > 1)
            {
                ledger.Retried();
                await Task.Delay(RetryBackoff * attempt);
            }

            switch (await PostAsync(frontEnd, body, key))
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

    private async Task<(long? Number, bool Rejected)> PostAsync(Uri frontEnd, byte[] body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(frontEnd, Routes.Orders))
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        try
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var placed = await response.Content.ReadFromJsonAsync(ChaosJsonContext.Default.DataEnvelopeOrderPlaced);
                return (placed?.Data.TransactionNumber, false);
            }

            return (null, (int)response.StatusCode is >= 400 and < 500 and not 408 and not 429);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return (null, false);
        }
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
    private sealed class OutageTracker(LoadLedger ledger, Stopwatch clock)
    {
        private TimeSpan? _failingSince;

        public void Record(bool succeeded)
        {
            if (!succeeded)
            {
                _failingSince ??= clock.Elapsed;
            }
            else if (_failingSince is { } since)
            {
                ledger.Outage(since, clock.Elapsed - since);
                _failingSince = null;
            }
        }

        public void Close() => Record(succeeded: true);
    }
}
