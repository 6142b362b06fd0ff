using StockNet.Contracts;
using StockNet.Orders.Replication;
using StockNet.Orders.Leadership;

namespace StockNet.Orders.Placement;

/// <summary>
/// Adopts a trade the catalog applied but no order holds: logs it under its key with the number the catalog
/// journaled (or the next free one) and replicates it like any order. It never overtakes an order request:
/// a key in the log is <see cref="AdoptionResult.Known"/>, and a key a request holds right now (it may be
/// between its catalog call and its append) is <see cref="AdoptionResult.InFlight"/>. The adoption holds the key
/// itself until its replication ends, so a client's retry of the key hears the adoption's outcome, never a number
/// that a majority may lack.
/// </summary>
public sealed class OrderAdoption(OrderNumbering numbering, KeysInFlight keysInFlight, ReplicaState state)
{
    public async Task<AdoptionResult> AdoptAsync(AppliedTrade trade, string key, long epoch, CancellationToken cancellationToken)
    {
        var request = new TradeRequest(trade.Name, trade.Type, trade.Quantity);
        if (!keysInFlight.TryClaim(key, request, out var claim))
        {
            return AdoptionResult.InFlight;
        }

        var outcome = PlacementOutcome.Replaced;
        try
        {
            var (result, placed) = await LogAndReplicateAsync(request, trade.TransactionNumber, key, epoch, cancellationToken);
            outcome = placed ?? outcome;
            return result;
        }
        finally
        {
            claim.Complete(outcome);
            keysInFlight.Release(key, claim);
        }
    }

    private async Task<(AdoptionResult Result, PlacementOutcome? Outcome)> LogAndReplicateAsync(
        TradeRequest trade, long? journaledNumber, string key, long epoch, CancellationToken cancellationToken)
    {
        var attempt = numbering.TryLog(trade, key, epoch, journaledNumber, cancellationToken, adopting: true);
        switch (attempt.Kind)
        {
            case LogAttemptKind.KeyHeld:
                return (AdoptionResult.Known, PlacementOutcome.ForKnown(attempt.Entry!, trade));
            case LogAttemptKind.NotLeader:
                return (AdoptionResult.NotLeader, null);
        }

        var replicated = await attempt.Replicated!;
        if (replicated != ReplicationOutcome.Committed)
        {
            state.StepDown(epoch);
            return (AdoptionResult.NotLeader, replicated == ReplicationOutcome.NoQuorum ? PlacementOutcome.NoQuorum : null);
        }

        return (AdoptionResult.Adopted, PlacementOutcome.Placed(attempt.Entry!.TransactionNumber));
    }
}

/// <summary>What <see cref="OrderAdoption.AdoptAsync"/> did with one journal trade.</summary>
public enum AdoptionResult
{
    /// <summary>Appended as a new order and replicated.</summary>
    Adopted,

    /// <summary>Its key is already in the log; nothing to do.</summary>
    Known,

    /// <summary>An order request holds its key right now; it will log it, or the next round adopts it.</summary>
    InFlight,

    /// <summary>This replica no longer leads at that epoch; the round stops.</summary>
    NotLeader,
}
