using System.Collections.Concurrent;
using StockNet.Contracts;

namespace StockNet.Orders.Placement;

/// <summary>
/// The idempotency keys order requests hold right now (between their first look at the log and their
/// answer), each with its trade and its outcome: a second request with the key shares the first one's
/// outcome, and an adoption of the key waits for the next round.
/// </summary>
public sealed class KeysInFlight
{
    private readonly ConcurrentDictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    public bool Contains(string key) => _claims.ContainsKey(key);

    /// <summary>Claims <paramref name="key"/> for <paramref name="mine"/>, or returns the claim already held.</summary>
    public Claim GetOrClaim(string key, Claim mine) => _claims.GetOrAdd(key, mine);

    public void Release(string key, Claim mine) => _claims.TryRemove(new KeyValuePair<string, Claim>(key, mine));

    /// <summary>One request's hold on a key: what it trades and, once known, its outcome.</summary>
    public sealed record Claim(TradeRequest Trade, Task<PlacementOutcome> Outcome);
}
