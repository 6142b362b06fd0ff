using StockNet.Contracts;
using StockNet.Orders.Leadership;

namespace StockNet.Orders.Placement;

/// <summary>
/// Adopts a trade the catalog applied but no order holds: logs it under its key with the number the catalog
/// journaled (or the next free one) and replicates it like any order. It never overtakes an order request:
/// a key in the log is <see cref="AdoptionResult.Known"/>, and a key a request holds right now (it may be
/// between its catalog call and its append) is <see cref="AdoptionResult.InFlight"/>.
/// </summary>
public sealed class OrderAdoption(OrderNumbering numbering, ReplicaState state)
{
    public async Task<AdoptionResult> AdoptAsync(AppliedTrade trade, string key, long epoch, CancellationToken cancellationToken)
    {
        var attempt = numbering.TryLog(new TradeRequest(trade.Name, trade.Type, trade.Quantity), key, epoch, trade.TransactionNumber, cancellationToken, adopting: true);
        switch (attempt.Kind)
        {
            case LogAttemptKind.KeyHeld:
                return AdoptionResult.Known;
            case LogAttemptKind.InFlight:
                return AdoptionResult.InFlight;
            case LogAttemptKind.NotLeader:
                return AdoptionResult.NotLeader;
        }

        if (!await attempt.Replicated!)
        {
            state.StepDown(epoch);
            return AdoptionResult.NotLeader;
        }

        return AdoptionResult.Adopted;
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
