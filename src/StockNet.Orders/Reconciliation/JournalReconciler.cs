using System.Globalization;
using Microsoft.Extensions.Logging;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.Orders.Leadership;
using StockNet.Orders.Telemetry;
using StockNet.Orders.Placement;

namespace StockNet.Orders.Reconciliation;

/// <summary>
/// Makes the order log hold every trade the catalog applied. A trade touches the catalog first and the log
/// second, so a crash between the two (of the leader, or of the catalog before its reply) leaves a trade
/// the catalog applied that no order holds. A round reads the catalog's journal after the persisted
/// watermark and, on the leader, appends every trade whose key is neither in the log nor held by an order
/// request right now as a new order under that key (a trade without a key under "catalog-{seq}"), then
/// replicates it like any order. The watermark advances over trades known to be in the log and stops
/// before the first one skipped because it was in flight, so the next round looks at it again. A follower
/// only advances its watermark over keys its own log holds, so that when it takes office it reads little.
/// </summary>
public sealed partial class JournalReconciler(
    OrderLog log,
    ReplicaState state,
    OrderAdoption adoption,
    CatalogClient catalog,
    ILogger<JournalReconciler> logger) : IDisposable
{
    /// <summary>
    /// Journal entries read per call. A reply is buffered whole and parsed into an array, so a page is kept below the
    /// runtime's large-object threshold (85,000 bytes; an entry is about 150 bytes, under 300 with the longest key).
    /// With pages of the catalog's maximum (10,000 entries, up to 1.5 MB) every round under load read large objects,
    /// and over minutes of trading a replica's large-object heap reached 21-31 MB and its peak memory rose with it
    /// (docs/benchmarks.md, "Cost of history"). A watermark reset or a follower's five-second round now costs more
    /// round trips, each small.
    /// </summary>
    public const int PageSize = 256;

    /// <summary>The key a trade placed without one is adopted under.</summary>
    public static string SyntheticKey(long sequence) => string.Create(CultureInfo.InvariantCulture, $"catalog-{sequence}");

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>One round; false when the journal could not be read or leadership was lost midway. Rounds never overlap.</summary>
    public async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var role = state.Current;
            return role.Role == ReplicaRole.Follower
                ? await AdvanceAsync(cancellationToken)
                : await AdoptAsync(role.Epoch, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> AdoptAsync(long epoch, CancellationToken cancellationToken)
    {
        var resets = log.WatermarkResets;
        var position = log.JournalWatermark;
        var blocked = false;
        while (true)
        {
            var page = await catalog.ReadJournalAsync(position, PageSize, cancellationToken);
            if (page is null)
            {
                return false;
            }

            var safe = position;
            foreach (var trade in page)
            {
                var result = await AdoptOneAsync(trade, epoch, cancellationToken);
                if (result == AdoptionResult.NotLeader)
                {
                    log.AdvanceJournalWatermark(safe, resets);
                    return false;
                }

                // The watermark may not pass a trade an order request still holds: it might yet fail to log it.
                blocked |= result == AdoptionResult.InFlight;
                safe = blocked ? safe : trade.Sequence;
                position = trade.Sequence;
            }

            log.AdvanceJournalWatermark(safe, resets);
            if (page.Length < PageSize)
            {
                return true;
            }
        }
    }

    private async ValueTask<AdoptionResult> AdoptOneAsync(AppliedTrade trade, long epoch, CancellationToken cancellationToken)
    {
        var key = KeyOf(trade);
        if (log.HoldsKey(key))
        {
            // The usual case, checked without the numbering lock.
            return AdoptionResult.Known;
        }

        var result = await adoption.AdoptAsync(trade, key, epoch, cancellationToken);
        if (result == AdoptionResult.Adopted)
        {
            OrderTelemetry.RecordAdoption();
            LogAdopted(logger, trade.Sequence, key, trade.Name, epoch);
        }

        return result;
    }

    private async Task<bool> AdvanceAsync(CancellationToken cancellationToken)
    {
        var resets = log.WatermarkResets;
        while (true)
        {
            var page = await catalog.ReadJournalAsync(log.JournalWatermark, PageSize, cancellationToken);
            if (page is null)
            {
                return false;
            }

            var safe = log.JournalWatermark;
            foreach (var trade in page)
            {
                if (!log.HoldsKey(KeyOf(trade)))
                {
                    log.AdvanceJournalWatermark(safe, resets);
                    return true;
                }

                safe = trade.Sequence;
            }

            log.AdvanceJournalWatermark(safe, resets);
            if (page.Length < PageSize)
            {
                return true;
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    private static string KeyOf(AppliedTrade trade) =>
        string.IsNullOrEmpty(trade.IdempotencyKey) ? SyntheticKey(trade.Sequence) : trade.IdempotencyKey;

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning,
        Message = "Adopted catalog trade {Sequence} (key {IdempotencyKey}, {Name}) as an order at epoch {Epoch}: the catalog applied it but no order held it")]
    private static partial void LogAdopted(ILogger logger, long sequence, string idempotencyKey, string name, long epoch);
}
