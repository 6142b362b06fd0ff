using System.Collections.Concurrent;
using StockNet.Contracts;

namespace StockNet.Orders.Placement;

/// <summary>
/// The idempotency keys a writer holds right now: an order request (from its first look at the log to its answer)
/// or an adoption (from its append to the end of its replication), each with its trade and its outcome. A second
/// request with the key shares the holder's outcome, and an adoption of a held key waits for the next round, so an
/// entry is never answered while its replication, which decides whether it may be acknowledged, is under way.
/// </summary>
public sealed class KeysInFlight
{
    private readonly ConcurrentDictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="key"/> for <paramref name="trade"/>: true with a new claim, false with the one another writer holds.</summary>
    public bool TryClaim(string key, TradeRequest trade, out Claim claim)
    {
        var mine = new Claim(trade);
        claim = _claims.GetOrAdd(key, mine);
        return ReferenceEquals(claim, mine);
    }

    /// <summary>Frees <paramref name="key"/>; call once <paramref name="mine"/>'s outcome is set.</summary>
    public void Release(string key, Claim mine) => _claims.TryRemove(new KeyValuePair<string, Claim>(key, mine));

    /// <summary>One writer's hold on a key: what it trades and, once known, its outcome.</summary>
    public sealed class Claim(TradeRequest trade)
    {
        private readonly TaskCompletionSource<PlacementOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TradeRequest Trade { get; } = trade;

        public Task<PlacementOutcome> Outcome => _outcome.Task;

        public void Complete(PlacementOutcome outcome) => _outcome.TrySetResult(outcome);

        public void Fail(Exception exception) => _outcome.TrySetException(exception);
    }
}
