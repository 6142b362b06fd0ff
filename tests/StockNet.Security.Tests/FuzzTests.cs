using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Contracts;
using StockNet.Contracts.Security;
using StockNet.FrontEnd.Leadership;
using StockNet.Security.Tests.Fuzzing;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests;

/// <summary>
/// A property-based fuzzer (CsCheck) against every route of each service of a running cluster. Without the
/// credential: every answer a 4xx with the JSON error, and nothing anywhere changes. With it: no 5xx except a
/// documented 503, nothing a refused request carried is stored anywhere, and the state afterwards is exactly what
/// the accepted requests made. STOCKNET_FUZZ_CASES sets the signed case count (default 8,000, plus 2,000 without the credential: 10,000 per service).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class FuzzTests
{
    private static readonly int SignedCases = FuzzRun.CasesFromEnvironment("STOCKNET_FUZZ_CASES", 8_000);
    private static readonly int UnsignedCases = Math.Max(1_000, SignedCases / 4);

    // Within the test's 300 s, after a cluster start: every service's 10,000 cases take 8-9 s at load 47 (they took a
    // minute and more while the filter below rebuilt the route table per case); on a starved machine the run stops
    // sending at these and says how many cases it skipped.
    private static readonly TimeSpan UnsignedBudget = TimeSpan.FromSeconds(50);
    private static readonly TimeSpan SignedBudget = TimeSpan.FromSeconds(160);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory(Timeout = 300_000)]
    [InlineData(PublicRoutes.Catalog)]
    [InlineData(PublicRoutes.Order)]
    [InlineData(PublicRoutes.FrontEnd)]
    public async Task Fuzz_EveryRoute_RefusedChangeNothingAcceptedMakeTheState(string service)
    {
        await using var cluster = await TestCluster.StartAsync();
        if (service == PublicRoutes.Order)
        {
            // This case checks what the fuzzed requests did to replica 1's log. A front-end electing meanwhile (its
            // probes time out on a loaded machine, and the fuzzer's announcements raise epochs) makes a real leader at
            // the fuzzer's epochs, whose resync then rightly deletes forged entries it lacks, so the check would depend
            // on timing (the likely cause of one "accepted entry ... is not in the log" in 14 runs under a CPU hog).
            // Its front-end elected at start; it elects no more.
            await cluster.FrontEnd.App.Services.GetRequiredService<LeaderElector>().StopAsync(Token);
        }

        var target = service switch
        {
            PublicRoutes.Catalog => cluster.Catalog,
            PublicRoutes.Order => cluster.Replicas[0],
            _ => cluster.FrontEnd,
        };
        // Listed once: a minimal-API data source builds its endpoints anew, request delegates and all, on every read.
        var allRoutes = Requests.RoutesOf(target).ToList();
        // The read-only routes answer their own token, not the cluster key, and the dashboard's event stream never ends.
        var routes = allRoutes.Where(route => !route.ReadOnly).ToList();
        var open = allRoutes.Where(route => route.Anonymous || route.ReadOnly).ToList();
        var peers = cluster.Replicas.Select(replica => replica.BaseUrl.ToString().TrimEnd('/')).ToList();
        var clock = Stopwatch.StartNew();

        var before = await ClusterState.ReadAsync(cluster);
        var unsigned = new FuzzRun(target, withCredential: false, UnsignedBudget);
        using (var http = target.UnsignedClient())
        {
            var internalOnly = FuzzGen.For([.. routes.Where(route => !route.Anonymous && !route.ReadOnly)], peers)
                .Where(request => !open.Any(route => (route.Method == request.Method || route.Method == "*") && Requests.Matches(route.Pattern, request.Path)));
            await internalOnly.SampleAsync(request => unsigned.SendAsync(http, request), iter: UnsignedCases, threads: 2);
        }

        var afterUnsigned = await ClusterState.ReadAsync(cluster);
        Assert.Equal(before.Describe(), afterUnsigned.Describe());

        var signed = new FuzzRun(target, withCredential: true, SignedBudget);
        using (var http = target.SignedClient())
        {
            await FuzzGen.For(routes, peers).SampleAsync(request => signed.SendAsync(http, request), iter: SignedCases, threads: 2);
        }

        var after = service == PublicRoutes.FrontEnd ? await SettledAsync(cluster) : await ClusterState.ReadAsync(cluster);
        Report(service, unsigned, signed, clock.Elapsed);
        AssertRefusedLeftNoTrace(signed, after);
        switch (service)
        {
            case PublicRoutes.Catalog:
                AssertCatalogIsTheAcceptedTrades(afterUnsigned, after, signed);
                break;
            case PublicRoutes.Order:
                AssertLogHoldsTheAcceptedEntries(after, signed);
                break;
            default:
                AssertCatalogMatchesTheLogs(afterUnsigned, after, signed);
                break;
        }
    }

    private static void Report(string service, FuzzRun unsigned, FuzzRun signed, TimeSpan elapsed)
    {
        var skipped = unsigned.Skipped + signed.Skipped == 0 ? "" : $"; {unsigned.Skipped} + {signed.Skipped} cases skipped past the time budget";
        var line = $"fuzz {service}: {unsigned.Cases} cases without the credential ({unsigned.Counts}); {signed.Cases} with it ({signed.Counts}); {elapsed.TotalSeconds:0.0} s{skipped}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static void AssertRefusedLeftNoTrace(FuzzRun run, ClusterState state)
    {
        var stored = state.Keys.Select(CaseKey).ToHashSet(StringComparer.Ordinal);
        var leaked = run.Refused.Where(refused => stored.Contains(refused.Key)).OrderBy(refused => refused.Sent).ToList();
        Assert.True(leaked.Count == 0, leaked.Count == 0 ? "" : $"{leaked.Count} refused requests left entries behind, e.g. {leaked[0]}; "
            + $"its entries: {string.Join("; ", state.Holding(key => CaseKey(key) == leaked[0].Key))}; accepted cases next to it: "
            + string.Join("; ", run.Accepted.Where(accepted => Math.Abs(accepted.Sent - leaked[0].Sent) <= 3).OrderBy(accepted => accepted.Sent)));
    }

    // A batch's trades and entries carry its case's key with "-index" appended.
    private static string CaseKey(string key) => key.Split('-') is [var fz, var id, ..] ? $"{fz}-{id}" : key;

    /// <summary>Every applied trade is in the journal once, and the quantities are the start's plus the journal's trades.</summary>
    private static void AssertCatalogIsTheAcceptedTrades(ClusterState start, ClusterState end, FuzzRun run)
    {
        var lastSequence = start.Journal.Count == 0 ? 0 : start.Journal.Max(trade => trade.Sequence);
        var added = end.Journal.Where(trade => trade.Sequence > lastSequence).ToList();
        var applied = run.Accepted.Count(accepted => accepted.Request.Method == "POST" && accepted.Request.Path.StartsWith("/stocks/", StringComparison.Ordinal))
            + run.Accepted.Where(accepted => accepted.Request.Method == "POST" && accepted.Request.Path.StartsWith(Routes.Trades, StringComparison.Ordinal)).Sum(ExecutedInBatch);
        Assert.Equal(applied, added.Count);
        AssertQuantities(start, end, added.Select(trade => (trade.Name, trade.Type, (long)trade.Quantity)));
    }

    // Every trade of an accepted batch carries a fresh key (or none), so each one executed is a new journal entry.
    private static int ExecutedInBatch(AnsweredCase batch)
    {
        using var reply = JsonDocument.Parse(batch.Reply);
        return reply.RootElement.GetProperty("data").EnumerateArray().Count(result => result.GetProperty("outcome").GetString() == TradeResult.Executed);
    }

    /// <summary>Every accepted replicated entry is in the replica's log (or its number is, taken by a later accepted one).</summary>
    private static void AssertLogHoldsTheAcceptedEntries(ClusterState state, FuzzRun run)
    {
        var log = state.Logs[0];
        var keys = log.Select(entry => entry.IdempotencyKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var numbers = log.Select(entry => entry.TransactionNumber).ToHashSet();
        foreach (var accepted in run.Accepted.Where(accepted => accepted.Request.Path.StartsWith("/replicate_order", StringComparison.Ordinal)))
        {
            using var body = JsonDocument.Parse(accepted.Request.Body!.Replace(FuzzRequest.KeyMarker, accepted.Key, StringComparison.Ordinal));
            var entries = body.RootElement.TryGetProperty("data", out var data) ? [.. data.EnumerateArray()] : new[] { body.RootElement };
            foreach (var entry in entries)
            {
                var key = entry.GetProperty("idempotency_key").GetString()!;
                var number = entry.GetProperty("transaction_number").GetInt64();
                Assert.True(keys.Contains(key) || numbers.Contains(number), $"accepted entry {number} ({key}) is not in the log of replica 1, {accepted}; "
                    + $"elsewhere: {string.Join("; ", state.Holding(held => held == key).DefaultIfEmpty("nowhere"))}; replicas' logs at {number}: "
                    + string.Join(", ", state.Logs.Select(other => other.FirstOrDefault(entry => entry.TransactionNumber == number)?.ToString() ?? "none")));
            }
        }
    }

    /// <summary>Through the front-end: every acknowledged order is logged under its number, and the catalog is the start minus the logged trades.</summary>
    private static void AssertCatalogMatchesTheLogs(ClusterState start, ClusterState end, FuzzRun run)
    {
        var log = end.Logs[^1];
        var startNumbers = start.Logs[^1].Select(entry => entry.TransactionNumber).ToHashSet();
        foreach (var order in run.Accepted.Where(accepted => accepted.Request.Method == "POST" && accepted.Request.Path.StartsWith(Routes.Orders, StringComparison.Ordinal)))
        {
            using var reply = JsonDocument.Parse(order.Reply);
            var number = reply.RootElement.GetProperty("data").GetProperty("transaction_number").GetInt64();
            Assert.Contains(log, entry => entry.TransactionNumber == number && (!order.Request.WithKey || entry.IdempotencyKey == order.Key));
        }

        AssertQuantities(start, end, log.Where(entry => !startNumbers.Contains(entry.TransactionNumber)).Select(entry => (entry.Name, entry.Type, (long)entry.Quantity)));
    }

    private static void AssertQuantities(ClusterState start, ClusterState end, IEnumerable<(string Name, TradeType Type, long Quantity)> trades)
    {
        var expected = new Dictionary<string, long>(start.Quantities, StringComparer.Ordinal);
        foreach (var (name, type, quantity) in trades)
        {
            expected[name] += type == TradeType.Buy ? -quantity : quantity;
        }

        Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), end.Quantities.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    /// <summary>Waits (bounded) until the three replicas hold identical logs, then reads the state.</summary>
    private static async Task<ClusterState> SettledAsync(TestCluster cluster)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var state = await ClusterState.ReadAsync(cluster);
            var fingerprints = state.Logs.Select(log => string.Join(",", log.Select(entry => $"{entry.TransactionNumber}:{entry.IdempotencyKey}"))).Distinct().Count();
            if (fingerprints == 1 || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.True(fingerprints == 1, "the replicas' logs did not converge within 20 s: " + state.Describe());
                return state;
            }

            await Task.Delay(100, Token);
        }
    }
}
