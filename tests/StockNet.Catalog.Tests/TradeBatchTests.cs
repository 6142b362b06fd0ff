using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using StockNet.Catalog.Telemetry;
using StockNet.Catalog.Tests.Infrastructure;
using StockNet.Contracts;

namespace StockNet.Catalog.Tests;

/// <summary>
/// <c>POST /trades</c>: each trade decided as the single route decides it, in one transaction, one result per trade in
/// order; a bad body or a missing credential changes nothing.
/// </summary>
public sealed class TradeBatchTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TradeBatch_MixedTrades_OneResultPerTradeInOrder()
    {
        await using var host = await CatalogHost.StartAsync(Token);

        var results = await TradeAsync(host,
            new BatchedTrade("GOOG", TradeType.Buy, 3, "a", 5),
            new BatchedTrade("NOPE", TradeType.Buy, 1, "b", 6),
            new BatchedTrade("TSLA", TradeType.Buy, 101, "c", 7),
            new BatchedTrade("TSLA", TradeType.Sell, 2, "d", 8));

        Assert.Equal([TradeResult.Executed, ErrorTypes.UnknownStock, ErrorTypes.InsufficientStock, TradeResult.Executed], results.Select(r => r.Outcome));
        Assert.Equal(new StockQuote("GOOG", 141.20m, 97, 1), results[0].Quote);
        Assert.Equal(5, results[0].TransactionNumber);
        Assert.Equal(8, results[3].TransactionNumber);
        Assert.Equal("Not enough stock to buy 101 of 'TSLA': 100 available.", results[2].Message);
        Assert.Equal(97, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
        Assert.Equal(102, (await host.GetQuoteAsync("TSLA", Token)).Quantity);
    }

    [Fact]
    public async Task TradeBatch_BuysAboveTheStock_LaterOnesRefusedNeverOversold()
    {
        await using var host = await CatalogHost.StartAsync(Token);

        var results = await TradeAsync(host,
            new BatchedTrade("GOOG", TradeType.Buy, 60, "a"),
            new BatchedTrade("GOOG", TradeType.Buy, 60, "b"),
            new BatchedTrade("GOOG", TradeType.Buy, 40, "c"));

        Assert.Equal([TradeResult.Executed, ErrorTypes.InsufficientStock, TradeResult.Executed], results.Select(r => r.Outcome));
        Assert.Equal(0, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    [Fact]
    public async Task TradeBatch_RepeatedKey_FirstNumberAnsweredAndTradedOnce()
    {
        await using var host = await CatalogHost.StartAsync(Token);
        (await host.TradeAsync("GOOG", """{"type": "buy", "quantity": 1}""", Token, "single")).Dispose();
        await TradeAsync(host, new BatchedTrade("GOOG", TradeType.Buy, 3, "k", 3));

        var results = await TradeAsync(host,
            new BatchedTrade("GOOG", TradeType.Buy, 3, "k", 9),
            new BatchedTrade("GOOG", TradeType.Buy, 2, "twice", 10),
            new BatchedTrade("GOOG", TradeType.Buy, 2, "twice", 11),
            new BatchedTrade("GOOG", TradeType.Buy, 1, "single", 12),
            new BatchedTrade("GOOG", TradeType.Sell, 3, "k", 13));

        Assert.Equal(
            [TradeResult.Executed, TradeResult.Executed, TradeResult.Executed, TradeResult.Executed, ErrorTypes.IdempotencyKeyReused],
            results.Select(r => r.Outcome));
        Assert.Equal([3L, 10L, 10L], results.Take(3).Select(r => r.TransactionNumber!.Value));
        Assert.Equal(100 - 1 - 3 - 2, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
        var journal = await host.Client.GetFromJsonAsync("/trades?after=0", StockNetJsonContext.Default.DataEnvelopeAppliedTradeArray, Token);
        Assert.Equal(["single", "k", "twice"], journal!.Data.Select(trade => trade.IdempotencyKey));
    }

    [Fact]
    public async Task TradeBatch_WithSingleTradesAround_AppliedInOneTransaction()
    {
        await using var host = await CatalogHost.StartAsync(Token);
        using var commits = new CommitSpans();
        var trades = Enumerable.Range(0, Limits.MaxTradeBatch).Select(i => new BatchedTrade("IBM", TradeType.Sell, 1, $"batch-{i}")).ToArray();
        var singles = Enumerable.Range(0, 20).Select(i => host.TradeAsync("IBM", """{"type": "sell", "quantity": 1}""", Token, $"single-{i}")).ToList();

        // The batch in a trace of its own, which the commit that carries its trades links to.
        using var batchTrace = new Activity("batch").Start();
        var results = await TradeAsync(host, trades);
        batchTrace.Stop();
        foreach (var single in singles)
        {
            (await single).Dispose();
        }

        Assert.All(results, result => Assert.Equal(TradeResult.Executed, result.Outcome));
        var carrying = commits.Carrying(batchTrace.TraceId);
        Assert.Equal(Limits.MaxTradeBatch, Assert.Single(carrying).Links.Count(link => link.Context.TraceId == batchTrace.TraceId));
        Assert.Equal(100 + Limits.MaxTradeBatch + 20, (await host.GetQuoteAsync("IBM", Token)).Quantity);
    }

    [Fact]
    public async Task TradeBatch_WithoutCredential_401AndNothingChanged()
    {
        await using var host = await CatalogHost.StartAsync(Token);
        using var unsigned = new HttpClient { BaseAddress = host.Client.BaseAddress };

        using var response = await unsigned.PostAsync(Routes.Trades, Json("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}]}"""), Token);

        await CatalogApiTests.AssertErrorAsync(response, HttpStatusCode.Unauthorized, Token);
        Assert.Equal(100, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"data": null}""")]
    [InlineData("""{"data": []}""")]
    [InlineData("""{"data": [null]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}], "extra": 1}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}, {"name": "GO.OG", "type": "buy", "quantity": 1}]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}, {"name": "GOOG", "type": "buy", "quantity": 0}]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}, {"name": "GOOG", "type": "hold", "quantity": 1}]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1}, {"name": "GOOG", "type": "buy"}]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1, "transaction_number": -1}]}""")]
    [InlineData("""{"data": [{"name": "GOOG", "type": "buy", "quantity": 1, "color": "red"}]}""")]
    public async Task TradeBatch_BadBody_400AndNothingChanged(string body)
    {
        await using var host = await CatalogHost.StartAsync(Token);

        using var response = await host.Client.PostAsync(Routes.Trades, Json(body), Token);

        await CatalogApiTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, Token);
        Assert.Equal(100, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    [Fact]
    public async Task TradeBatch_OverTheBoundOrWithALongKey_400AndNothingChanged()
    {
        await using var host = await CatalogHost.StartAsync(Token);
        var tooMany = Enumerable.Range(0, Limits.MaxTradeBatch + 1).Select(i => new BatchedTrade("GOOG", TradeType.Buy, 1, $"k{i}")).ToArray();
        var longKey = new BatchedTrade("GOOG", TradeType.Buy, 1, new string('k', Limits.MaxIdempotencyKeyLength + 1));

        using var over = await host.Client.PostAsJsonAsync(Routes.Trades, new TradeBatch(tooMany), StockNetJsonContext.Default.TradeBatch, Token);
        using var withLongKey = await host.Client.PostAsJsonAsync(Routes.Trades, new TradeBatch([longKey]), StockNetJsonContext.Default.TradeBatch, Token);

        await CatalogApiTests.AssertErrorAsync(over, HttpStatusCode.BadRequest, Token);
        await CatalogApiTests.AssertErrorAsync(withLongKey, HttpStatusCode.BadRequest, Token);
        Assert.Equal(100, (await host.GetQuoteAsync("GOOG", Token)).Quantity);
    }

    private static async Task<TradeResult[]> TradeAsync(CatalogHost host, params BatchedTrade[] trades)
    {
        using var response = await host.Client.PostAsJsonAsync(Routes.Trades, new TradeBatch(trades), StockNetJsonContext.Default.TradeBatch, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await response.Content.ReadFromJsonAsync(StockNetJsonContext.Default.DataEnvelopeTradeResultArray, Token);
        Assert.Equal(trades.Length, reply!.Data.Length);
        return reply.Data;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, MediaTypes.Json);

    /// <summary>Records every "catalog commit" span (one per SQLite transaction) with the request spans it links to.</summary>
    private sealed class CommitSpans : IDisposable
    {
        private readonly ConcurrentBag<Activity> _commits = [];
        private readonly ActivityListener _listener;

        public CommitSpans()
        {
            // Every source, so the catalog's request spans exist and carry the client's trace into the commit's links.
            _listener = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == CatalogTelemetry.Name && activity.DisplayName == "catalog commit")
                    {
                        _commits.Add(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Carrying(ActivityTraceId traceId) =>
            [.. _commits.Where(commit => commit.Links.Any(link => link.Context.TraceId == traceId))];

        public void Dispose() => _listener.Dispose();
    }
}
