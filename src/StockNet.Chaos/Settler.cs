using System.Diagnostics;
using System.Globalization;

namespace StockNet.Chaos;

/// <summary>How the wait for a quiet cluster ended.</summary>
internal sealed record SettleResult(bool Settled, TimeSpan Elapsed, string LastState);

/// <summary>
/// Waits until every replica is ready, one of them leads, and neither the logs nor the catalog's journal have
/// changed for a few polls in a row. A read through the front-end each round makes it elect a leader if it has
/// none, since a leader's reconciliation runs only when one takes office.
/// </summary>
internal sealed class Settler(ClusterProbe probe)
{
    private const int QuietPolls = 4;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<SettleResult> SettleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string? previous = null;
        var quiet = 0;
        var state = "no poll yet";
        while (clock.Elapsed < timeout)
        {
            await PokeFrontEndAsync(cancellationToken);
            var (ready, fingerprint) = await ObserveAsync(cancellationToken);
            state = fingerprint;
            quiet = ready && fingerprint == previous ? quiet + 1 : 0;
            previous = fingerprint;
            if (quiet >= QuietPolls)
            {
                return new SettleResult(true, clock.Elapsed, state);
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return new SettleResult(false, clock.Elapsed, state);
    }

    // Any answer will do, and none (a front-end still starting) too: the next round asks again.
    private async Task PokeFrontEndAsync(CancellationToken cancellationToken) => await probe.FrontEnd.QueryOrderAsync(1, cancellationToken);

    private async Task<(bool Ready, string Fingerprint)> ObserveAsync(CancellationToken cancellationToken)
    {
        var ready = true;
        var leaders = 0;
        var parts = new List<string>();
        foreach (var (name, url) in probe.Endpoints.Replicas)
        {
            var ping = await probe.PingAsync(url, cancellationToken);
            ready &= ping is { Ready: true };
            leaders += ping is { IsLeader: true } ? 1 : 0;
            parts.Add(ping is null
                ? $"{name}: no answer"
                : string.Create(CultureInfo.InvariantCulture, $"{name}: ready={ping.Ready} leader={ping.IsLeader} epoch={ping.Epoch} max={ping.MaxTransaction}"));
        }

        var journal = await probe.ReadStocksAsync(cancellationToken);
        parts.Add(journal is null ? "catalog: no answer" : "catalog: " + string.Join(',', journal.Select(stock => stock.Version)));
        return (ready && leaders == 1 && journal is not null, string.Join("; ", parts));
    }
}
