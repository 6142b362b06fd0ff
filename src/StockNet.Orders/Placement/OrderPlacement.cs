using Microsoft.Extensions.Hosting;
using StockNet.Contracts;
using StockNet.Protocol;
using StockNet.Orders.Leadership;
using StockNet.Orders.Testing;

namespace StockNet.Orders.Placement;

/// <summary>
/// Places orders on the leader. Guarantee: one idempotency key yields at most one trade and one
/// transaction number. A key already in the log answers its original number (or, for another trade, that
/// the key was reused); concurrent requests with one key share the first one's outcome; and the catalog
/// gets the same key, so a retry after a crash or failover (here or on a new leader) trades nothing twice.
/// An entry is durable in this replica's log before it is replicated, and replicated (Sync mode) before
/// the client hears its number. The number is reserved before the catalog trades and journaled there with
/// the key, so an order keeps its number even when its leader dies after acknowledging it alone: the
/// successor's reconciliation adopts the trade under the same number.
/// </summary>
public sealed class OrderPlacement(
    OrderLog log,
    ReplicaState state,
    OrderNumbering numbering,
    KeysInFlight keysInFlight,
    CatalogClient catalog,
    CrashHook crashHook,
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

        if (log.TryGetByKey(idempotencyKey, out var known))
        {
            return PlacementOutcome.ForKnown(known, trade);
        }

        var outcome = new TaskCompletionSource<PlacementOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = new KeysInFlight.Claim(trade, outcome.Task);
        var first = keysInFlight.GetOrClaim(idempotencyKey, mine);
        if (first != mine)
        {
            return first.Trade == trade ? await first.Outcome : PlacementOutcome.KeyReusedFor(-1);
        }

        try
        {
            var result = await PlaceNewAsync(trade, idempotencyKey, role.Epoch);
            outcome.SetResult(result);
            return result;
        }
        catch (Exception ex)
        {
            outcome.SetException(ex);
            throw;
        }
        finally
        {
            keysInFlight.Release(idempotencyKey, mine);
        }
    }

    private async Task<PlacementOutcome> PlaceNewAsync(TradeRequest trade, string key, long epoch)
    {
        // Checked again now that we own the key: a request with it may have finished since the first look.
        if (log.TryGetByKey(key, out var known))
        {
            return PlacementOutcome.ForKnown(known, trade);
        }

        if (!numbering.TryReserve(epoch, out var reserved))
        {
            return PlacementOutcome.Replaced;
        }

        // Not the request's token: once the catalog may have traded, the order must be logged even if the client left.
        var stopping = lifetime.ApplicationStopping;
        var traded = await catalog.TradeAsync(trade, key, reserved, stopping);
        if (traded.Status != 200)
        {
            return await RefusedAsync(trade, reserved, epoch, traded, stopping);
        }

        crashHook.AfterCatalogApplied(key);

        // A repeated key (a retry after a failover) keeps the number its first attempt journaled.
        var attempt = numbering.TryLog(trade, key, epoch, traded.TransactionNumber ?? reserved, stopping);
        switch (attempt.Kind)
        {
            case LogAttemptKind.NotLeader:
                // Replaced while the catalog traded; the front-end retries with this key on the new leader,
                // and the catalog answers that retry from its record of the key without trading again.
                return PlacementOutcome.Replaced;
            case LogAttemptKind.KeyHeld:
                // Another writer (an adoption of the journaled trade) logged the key first: one key, one number.
                numbering.TryRelease(reserved);
                return PlacementOutcome.ForKnown(attempt.Entry!, trade);
        }

        var entry = attempt.Entry!;
        if (entry.TransactionNumber != reserved)
        {
            // The catalog replayed a first attempt's number and journaled nothing under ours: hand it back.
            numbering.TryRelease(reserved);
        }

        if (!await attempt.Replicated!)
        {
            state.StepDown(epoch);
            return PlacementOutcome.Replaced;
        }

        return PlacementOutcome.Placed(entry.TransactionNumber);
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
        if (!numbering.TryRelease(reserved) && numbering.TryLogNotExecuted(trade, reserved, epoch, stopping) is { } hole && !await hole)
        {
            state.StepDown(epoch);
        }

        return traded.Status == 404
            ? new PlacementOutcome(PlacementKind.UnknownStock, Message: traded.Message, Type: traded.Type)
            : new PlacementOutcome(PlacementKind.Refused, Message: traded.Message, Type: traded.Type);
    }
}
