namespace StockNet.Hosting.Security;

/// <summary>
/// Remembers the nonces of accepted signed requests so that each is accepted once. A signature is valid for
/// <c>window</c> either side of the clock, so a nonce must be remembered for twice that: the sets rotate every
/// two windows and a nonce is looked up in the current and the previous one. Memory is bounded by the request
/// rate times four windows (16 bytes a nonce).
/// </summary>
internal sealed class ReplayGuard(TimeProvider time, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly long _rotateTicks = (window * 2).Ticks;
    private HashSet<Guid> _current = [];
    private HashSet<Guid> _previous = [];
    private long _rotatedAt = time.GetTimestamp();

    /// <summary>True the first time a nonce is offered; false for a repeat.</summary>
    public bool TryAccept(Guid nonce)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_rotatedAt, now).Ticks >= _rotateTicks)
            {
                (_previous, _current) = (_current, _previous);
                _current.Clear();
                _rotatedAt = now;
            }

            return !_previous.Contains(nonce) && _current.Add(nonce);
        }
    }
}
