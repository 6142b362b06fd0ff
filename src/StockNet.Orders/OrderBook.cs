using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using StockNet.Contracts;
using StockNet.Orders.Clients;
using StockNet.Orders.Leadership;
using StockNet.Orders.Replication;
using StockNet.Orders.Testing;

namespace StockNet.Orders;

/// <summary>
/// Places orders on the leader. Guarantee: one idempotency key yields at most one trade and one
/// transaction number. A key already in the log answers its original number; concurrent requests with
/// one key share the first one's outcome; and the catalog gets the same key, so a retry after a crash
/// or failover (here or on a new leader) trades nothing twice. An entry is durable in this replica's log
/// before it is replicated, and replicated (Sync mode) before the client hears its number.
/// The number is reserved before the catalog trades and journaled there with the key, so an order keeps its
/// number even when its leader dies after acknowledging it alone: the successor's reconciliation adopts the
/// trade under the same number. A reserved number the catalog definitely refused is handed back when nothing
/// came after it; otherwise it stays a gap (numbers are unique, not dense).
/// </summary>
public sealed class OrderBook(
    OrderLog log,
    ReplicaState state,
    CatalogClient catalog,
    ReplicationManager replication,
    CrashHook crashHook,
    IHostApplicationLifetime lifetime)
{
    private readonly ConcurrentDictionary<string, Task<PlaceResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _numberLock = new();
    private long _next;

    /// <summary>Called when leadership is won: numbering continues after the merged log's maximum.</summary>
    public void ResetNextNumber()
    {
        lock (_numberLock)
        {
            _next = log.MaxTransaction + 1;
        }
    }

    public async Task<PlaceResult> PlaceAsync(TradeRequest trade, string idempotencyKey)
    {
        var role = state.Current;
        switch (role.Role)
        {
            case ReplicaRole.Follower:
                return PlaceResult.NotLeader;
            case ReplicaRole.RecoveringLeader:
                return PlaceResult.Recovering;
        }

        if (log.TryGetByKey(idempotencyKey, out var known))
        {
            return PlaceResult.Placed(known);
        }

        var mine = new TaskCompletionSource<PlaceResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _inFlight.GetOrAdd(idempotencyKey, mine.Task);
        if (first != mine.Task)
        {
            return await first;
        }

        try
        {
            var result = await PlaceNewAsync(trade, idempotencyKey, role.Epoch);
            mine.SetResult(result);
            return result;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task<PlaceResult>>(idempotencyKey, mine.Task));
        }
    }

    private async Task<PlaceResult> PlaceNewAsync(TradeRequest trade, string key, long epoch)
    {
        // Checked again now that we own the key: a request with it may have finished since the first look.
        if (log.TryGetByKey(key, out var known))
        {
            return PlaceResult.Placed(known);
        }

        if (!TryReserve(epoch, out var reserved))
        {
            return PlaceResult.Replaced;
        }

        // Not the request's token: once the catalog may have traded, the order must be logged even if the client left.
        var stopping = lifetime.ApplicationStopping;
        var outcome = await catalog.TradeAsync(trade, key, reserved, stopping);
        if (outcome.Status != 200)
        {
            if (outcome.Status is 400 or 404)
            {
                // A definite refusal: the catalog journaled nothing under this number.
                Release(reserved);
            }

            return PlaceResult.Failed(outcome.Status, outcome.Message, outcome.Type);
        }

        crashHook.AfterCatalogApplied(key);

        // A repeated key (a retry after a failover) keeps the number its first attempt journaled.
        if (!TryAppend(trade, key, epoch, outcome.TransactionNumber ?? reserved, out var entry))
        {
            // Replaced while the catalog traded; the front-end retries with this key on the new leader,
            // and the catalog answers that retry from its record of the key without trading again.
            return PlaceResult.Replaced;
        }

        if (entry.TransactionNumber != reserved)
        {
            // The catalog replayed a first attempt's number and journaled nothing under ours: hand it back.
            Release(reserved);
        }

        if (!await replication.ReplicateAsync(entry, stopping))
        {
            state.StepDown(epoch);
            return PlaceResult.Replaced;
        }

        return PlaceResult.Placed(entry.TransactionNumber);
    }

    /// <summary>
    /// Adopts a trade the catalog applied but no order holds: appends it under <paramref name="key"/> with the
    /// next number and replicates it. Under the numbering lock, so it cannot interleave with an append of the
    /// same key: a key in the log is <see cref="AdoptionResult.Known"/>, and a key an order request holds right
    /// now (it may be between its catalog call and its append) is <see cref="AdoptionResult.InFlight"/>.
    /// </summary>
    public async Task<AdoptionResult> AdoptAsync(AppliedTrade trade, string key, long epoch, CancellationToken cancellationToken)
    {
        OrderEntry entry;
        lock (_numberLock)
        {
            if (log.TryGetByKey(key, out _))
            {
                return AdoptionResult.Known;
            }

            if (_inFlight.ContainsKey(key))
            {
                return AdoptionResult.InFlight;
            }

            if (state.Current is not { Role: not ReplicaRole.Follower } role || role.Epoch != epoch)
            {
                return AdoptionResult.NotLeader;
            }

            var number = NumberFor(trade.TransactionNumber);
            entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, key, epoch);
            log.Append(entry);
            _next = Math.Max(_next, number + 1);
        }

        if (!await replication.ReplicateAsync(entry, cancellationToken))
        {
            state.StepDown(epoch);
            return AdoptionResult.NotLeader;
        }

        return AdoptionResult.Adopted;
    }

    private bool TryReserve(long epoch, out long number)
    {
        lock (_numberLock)
        {
            number = Math.Max(_next, log.MaxTransaction + 1);
            if (state.Current is not { Role: ReplicaRole.Leader } leader || leader.Epoch != epoch)
            {
                return false;
            }

            _next = number + 1;
            return true;
        }
    }

    private void Release(long number)
    {
        lock (_numberLock)
        {
            if (_next == number + 1 && !log.TryGet(number, out _))
            {
                _next = number;
            }
        }
    }

    /// <summary>The wanted number if no other order holds it (a deposed leader may have journaled it too), else the next one.</summary>
    private long NumberFor(long? wanted) =>
        wanted is { } number && number >= 0 && !log.TryGet(number, out _) ? number : Math.Max(_next, log.MaxTransaction + 1);

    private bool TryAppend(TradeRequest trade, string key, long epoch, long wanted, out OrderEntry entry)
    {
        lock (_numberLock)
        {
            if (state.Current is not { Role: ReplicaRole.Leader } leader || leader.Epoch != epoch)
            {
                entry = null!;
                return false;
            }

            var number = NumberFor(wanted);
            entry = new OrderEntry(number, trade.Name, trade.Type, trade.Quantity, key, epoch);
            log.Append(entry);
            _next = Math.Max(_next, number + 1);
            return true;
        }
    }
}

/// <summary>What <see cref="OrderBook.AdoptAsync"/> did with one journal trade.</summary>
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
