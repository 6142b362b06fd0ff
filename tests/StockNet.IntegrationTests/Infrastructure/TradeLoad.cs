using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StockNet.Chaos;
using StockNet.Contracts;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// Clients that trade continuously through the front-end, each trade sent exactly once with its own
/// Idempotency-Key, as a client of the original system would: any retrying is the front-end's job, so every
/// answer other than 200 or a definite 4xx is a client-visible error.
/// </summary>
public sealed class TradeLoad : IAsyncDisposable
{
    private static readonly string[] Stocks = ["APPL", "GOOG", "MSFT", "AMZN", "TSLA", "META", "NFLX", "NVDA", "AMD", "IBM"];

    private readonly HttpClient _http;
    private readonly int _clients;
    private readonly ConcurrentQueue<AcknowledgedOrder> _acknowledged = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private long _rejected;

    public TradeLoad(Uri frontEnd, int clients)
    {
        // Longer than the front-end's failover budget: the front-end, not this client, decides when to give up.
        _http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(15) };
        _clients = clients;
    }

    public IReadOnlyList<AcknowledgedOrder> Acknowledged => [.. _acknowledged];

    public IReadOnlyList<string> Errors => [.. _errors];

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Time since the load was created, the clock of <see cref="AcknowledgedOrder.At"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public void Start() =>
        _running = Task.WhenAll(Enumerable.Range(0, _clients).Select(client => Task.Run(() => RunClientAsync(client), CancellationToken.None)));

    /// <summary>Lets every request in flight finish, then stops.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }
    }

    /// <summary>Waits until <paramref name="count"/> more orders than now are acknowledged.</summary>
    public Task WaitForMoreAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = _acknowledged.Count + count;
        return Eventually.UntilAsync(
            _ => Task.FromResult(_acknowledged.Count >= target),
            timeout,
            () => $"{_acknowledged.Count} of {target} acknowledged; errors: {string.Join("; ", Errors.Take(5))}",
            cancellationToken);
    }

    /// <summary>The first acknowledgement at or after <paramref name="since"/>, if any.</summary>
    public TimeSpan? FirstAcknowledgedAfter(TimeSpan since) =>
        _acknowledged.Where(order => order.At >= since).Select(order => (TimeSpan?)order.At).Min();

    /// <summary>Places one order, sent once; returns its number, or null when refused (400) or failed.</summary>
    public static async Task<long?> PlaceOnceAsync(HttpClient http, TradeRequest trade, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Orders) { Content = Body(trade) };
        request.Headers.Add(Routes.IdempotencyKeyHeader, key);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private static StringContent Body(TradeRequest trade) => new(
        string.Create(CultureInfo.InvariantCulture, $"{{\"name\":\"{trade.Name}\",\"type\":\"{(trade.Type == TradeType.Buy ? "buy" : "sell")}\",\"quantity\":{trade.Quantity}}}"),
        Encoding.UTF8,
        MediaTypes.Json);

    private async Task RunClientAsync(int client)
    {
        var random = new Random(client);
        for (var sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            // Sells keep the stocks from running out, so buys are rarely refused for lack of stock.
            var trade = new TradeRequest(Stocks[random.Next(Stocks.Length)], random.Next(3) == 0 ? TradeType.Buy : TradeType.Sell, random.Next(1, 4));
            await TradeAsync(trade, $"it-{client}-{sequence}-{Guid.NewGuid():N}");
        }
    }

    private async Task TradeAsync(TradeRequest trade, string key)
    {
        var started = _clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Routes.Orders) { Content = Body(trade) };
            request.Headers.Add(Routes.IdempotencyKeyHeader, key);
            using var response = await _http.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(text);
                var number = json.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64();
                _acknowledged.Enqueue(new AcknowledgedOrder(key, number, trade.Name, trade.Type, trade.Quantity, _clock.Elapsed));
            }
            else if (response.StatusCode == HttpStatusCode.BadRequest && text.Contains("insufficient", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _rejected);
            }
            else
            {
                _errors.Enqueue($"{started.TotalSeconds:0.000}s {(int)response.StatusCode} {text}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            _errors.Enqueue($"{started.TotalSeconds:0.000}s {ex.GetType().Name}: {ex.Message}");
        }
    }
}
