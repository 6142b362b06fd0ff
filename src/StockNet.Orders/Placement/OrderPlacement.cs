using Microsoft.Extensions.Hosting;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.Orders.Leadership;
using StockNet.Orders.Replication;

namespace StockNet.Orders.Placement;

/// <summary>
/// Places orders on the leader. Guarantee: one idempotency key yields at most one trade and one
/// transaction number. A key already in the log answers its original number (or, for another trade, that
/// the key was reused); concurrent requests with one key share the first one's outcome; and the catalog
/// gets the same key, so a retry after a crash or failover (here or on a new leader) trades nothing twice.
/// An entry is durable in this replica's log before it is replicated, and the client hears its number only
/// once a majority of the replicas holds it (Sync mode); a leader that cannot reach that majority steps down and
/// answers 503 "no-quorum" instead, and the retry on the new leader gets the number the catalog journaled. The
/// number is reserved before the catalog trades and journaled there with the key, so an order keeps its number
/// through a failover whenever the new leader has not given that number away: a retry or the successor's
/// reconciliation logs the trade under the journaled number.
/// </summary>
public sealed class OrderPlacement(
    OrderLog log,
    ReplicaState state,
    OrderNumbering numbering,
    KeysInFlight keysInFlight,
    CatalogBatcher catalog,
    IHostApplicationLifetime lifetime)
{
    public async Task<PlacementOutcome> PlaceAsync(TradeRequest trade, string idempotencyKey)
    {
        var role = state.Current;
        switch (role.Role)
        {
            case ReplicaRole.Follower:
                return PlacementOutcome.NotLeader;
            case ReplicaRole.RecoveringLeader:
                return PlacementOutcome.Recovering;
        }

        // Claimed before the log is read: a key logged by a writer that still replicates it is answered with that
        // writer's outcome, never before its replication says whether it may be acknowledged.
        if (!keysInFlight.TryClaim(idempotencyKey, trade, out var claim))
        {
            return claim.Trade == trade ? await claim.Outcome : PlacementOutcome.KeyReusedFor(-1);
        }

        try
        {
            var result = await PlaceNewAsync(trade, idempotencyKey, role.Epoch);
            claim.Complete(result);
            return result;
        }
        catch (Exception ex)
        {
            claim.Fail(ex);
            throw;
        }
        finally
        {
            keysInFlight.Release(idempotencyKey, claim);
        }
    }

    private async Task<PlacementOutcome> PlaceNewAsync(TradeRequest trade, string key, long epoch)
    {
        if (log.TryGetByKey(key, out var known))
        {
            // A writer whose entry missed its majority stepped down before it let go of the key, so a leader still in
            // office answers only entries that were committed (or merged from a majority when it took office).
            return numbering.Leads(epoch) ? PlacementOutcome.ForKnown(known, trade) : PlacementOutcome.Replaced;
        }

        if (!numbering.TryReserve(epoch, out var reserved))
        {
            return PlacementOutcome.Replaced;
        }

        // Not the request's token: once the catalog may have traded, the order must be logged even if the client left.
        var stopping = lifetime.ApplicationStopping;
        var traded = await catalog.TradeAsync(trade, key, reserved, () => numbering.Leads(epoch), stopping);
        if (ReferenceEquals(traded, CatalogBatcher.NotLeading))
        {
            // Stepped down while the trade waited for its batch: it was never sent, so a retry on the new leader trades it.
            return PlacementOutcome.Replaced;
        }

        if (traded.Status != 200)
        {
            return await RefusedAsync(trade, reserved, epoch, traded, stopping);
        }

        // A repeated key (a retry after a failover) keeps the number its first attempt journaled.
        var attempt = numbering.TryLog(trade, key, epoch, traded.TransactionNumber ?? reserved, stopping);
        switch (attempt.Kind)
        {
            case LogAttemptKind.NotLeader:
                // Replaced while the catalog traded; the front-end retries with this key on the new leader,
                // and the catalog answers that retry from its record of the key without trading again.
                return PlacementOutcome.Replaced;
            case LogAttemptKind.KeyHeld:
                // Another writer logged the key first: one key, one number.
                numbering.TryRelease(reserved);
                return PlacementOutcome.ForKnown(attempt.Entry!, trade);
        }

        var entry = attempt.Entry!;
        if (entry.TransactionNumber != reserved)
        {
            // The catalog replayed a first attempt's number and journaled nothing under ours: hand it back.
            numbering.TryRelease(reserved);
        }

        return await StepDownUnlessCommittedAsync(attempt.Replicated!, epoch) switch
        {
            ReplicationOutcome.Committed => PlacementOutcome.Placed(entry.TransactionNumber),
            ReplicationOutcome.NoQuorum => PlacementOutcome.NoQuorum,
            _ => PlacementOutcome.Replaced,
        };
    }

    // Either failure ends this leader's term: a newer leader exists, or may be being elected by the replicas it cannot
    // reach. The entry stays in this log (the catalog traded it); the new leader's history decides its fate.
    private async Task<ReplicationOutcome> StepDownUnlessCommittedAsync(Task<ReplicationOutcome> replicated, long epoch)
    {
        var outcome = await replicated;
        if (outcome != ReplicationOutcome.Committed)
        {
            state.StepDown(epoch);
        }

        return outcome;
    }

    private async Task<PlacementOutcome> RefusedAsync(
        TradeRequest trade, long reserved, long epoch, CatalogOutcome traded, CancellationToken stopping)
    {
        if (traded.Status is not (400 or 404))
        {
            return PlacementOutcome.CatalogUnavailable;
        }

        // A definite refusal: the catalog journaled nothing under this number. It goes back to the pool when
        // nothing came after it; otherwise the hole is logged as what it is.
        if (!numbering.TryRelease(reserved) && numbering.TryLogNotExecuted(trade, reserved, epoch, stopping) is { } hole)
        {
            await StepDownUnlessCommittedAsync(hole, epoch);
        }

        return traded.Status == 404
            ? new PlacementOutcome(PlacementKind.UnknownStock, Message: traded.Message, Type: traded.Type)
            : new PlacementOutcome(PlacementKind.Refused, Message: traded.Message, Type: traded.Type);
    }
}
