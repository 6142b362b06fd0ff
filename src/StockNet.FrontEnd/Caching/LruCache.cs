using System.Diagnostics.CodeAnalysis;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Caching;

/*
 * A strict LRU of quotes that is never stale once a trade has completed. The danger is a lookup miss that
 * reads quantity q, then a trade commits and its invalidation arrives, then the miss puts q into the cache.
 * Two guards refuse that put:
 *  - versions: an invalidation remembers the highest version it named per stock, and a quote older than
 *    that is never stored;
 *  - tickets, for a catalog that sends no versions: a miss takes a ticket (the invalidation generation)
 *    before asking the catalog, and its put is refused if that stock was invalidated after the ticket.
 * Entries also expire after the TTL, which bounds staleness if an invalidation is lost on the wire.
 * One lock over a dictionary and a linked list keeps every operation O(1). Every hit, miss, put, eviction,
 * invalidation, refused put, expiry and clear also goes to a bounded event log (a struct store under the
 * same lock), which the dashboard and the load client read to show replacement at work.
 */
public sealed class LruCache
{
    // Invalidation marks are kept per name; past this many, they are dropped and every older ticket is refused.
    private const int MaxMarks = 4096;

    /// <summary>Cache events kept for readers: about a second of lookups at full speed.</summary>
    public const int EventCapacity = 32_768;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries;
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, Mark> _marks = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private long _generation;
    private long _ticketFloor;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _invalidations;
    private long _refusedPuts;
    private readonly CacheEventLog _events;

    public LruCache(int capacity, TimeSpan ttl, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Capacity = capacity;
        _ttl = ttl;
        _time = time;
        _entries = new Dictionary<string, LinkedListNode<Entry>>(capacity, StringComparer.Ordinal);
        _events = new CacheEventLog(EventCapacity, time);
    }

    public int Capacity { get; }

    /// <summary>Returns a live entry and makes it the most recently used; an expired one is dropped and counts as a miss.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out CachedQuote? quote)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_entries.TryGetValue(name, out var node))
            {
                if (_time.GetElapsedTime(node.Value.StoredAt, now) < _ttl)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    _hits++;
                    _events.Add(CacheEventKind.Hit, name, now);
                    quote = node.Value.Quote;
                    return true;
                }

                Remove(node);
                _events.Add(CacheEventKind.Expire, name, now);
            }

            _misses++;
            _events.Add(CacheEventKind.Miss, name, now);
            quote = null;
            return false;
        }
    }

    public CacheTicket BeginRead(string name)
    {
        lock (_gate)
        {
            return new CacheTicket(name, _generation);
        }
    }

    /// <summary>Stores a quote read under <paramref name="ticket"/>, unless an invalidation makes it possibly stale.</summary>
    public bool TryPut(CacheTicket ticket, StockQuote quote) => TryPut(ticket, CachedQuote.Create(quote));

    /// <summary>As <see cref="TryPut(CacheTicket, StockQuote)"/>, with the reply body already serialized (outside the lock).</summary>
    public bool TryPut(CacheTicket ticket, CachedQuote cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (IsStale(ticket, cached.Quote))
            {
                _refusedPuts++;
                _events.Add(CacheEventKind.Refused, ticket.Name, now);
                return false;
            }

            if (_entries.TryGetValue(ticket.Name, out var existing))
            {
                Remove(existing);
            }
            else if (_entries.Count >= Capacity)
            {
                var victim = _recency.Last!;
                Remove(victim);
                _evictions++;
                _events.Add(CacheEventKind.Evict, victim.Value.Name, now);
            }

            _entries[ticket.Name] = _recency.AddFirst(new Entry(ticket.Name, cached, now));
            _events.Add(CacheEventKind.Put, ticket.Name, now);
            return true;
        }
    }

    /// <summary>Drops an entry older than <paramref name="version"/> and refuses later puts of anything read before now or older than it.</summary>
    public void Invalidate(string name, long? version)
    {
        lock (_gate)
        {
            _invalidations++;
            _generation++;
            _events.Add(CacheEventKind.Invalidate, name, _time.GetTimestamp());
            // An entry already at the pushed version (or newer) shows the change: a push that arrives after a
            // fresh miss stored it must not throw it away. A push without a version always drops the entry.
            if (_entries.TryGetValue(name, out var node) && (version is not { } pushed || node.Value.Quote.Quote.Version < pushed))
            {
                Remove(node);
            }

            if (!_marks.TryGetValue(name, out var mark) && _marks.Count >= MaxMarks)
            {
                _marks.Clear();
                _ticketFloor = _generation;
            }

            _marks[name] = new Mark(_generation, Math.Max(mark?.Version ?? 0, version ?? 0));
        }
    }

    /// <summary>Drops every entry and refuses every put read before now: invalidations may have been lost.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _generation++;
            _ticketFloor = _generation;
            _marks.Clear();
            _events.Add(CacheEventKind.Clear, "", _time.GetTimestamp());
            while (_recency.Last is { } last)
            {
                Remove(last);
            }
        }
    }

    public CacheStats GetStats(bool enabled)
    {
        lock (_gate)
        {
            return new CacheStats(_hits, _misses, _evictions, _invalidations, _entries.Count, Capacity, enabled, _refusedPuts);
        }
    }

    /// <summary>The sequence number of the newest event (-1: none yet).</summary>
    public long LastEvent
    {
        get
        {
            lock (_gate)
            {
                return _events.Next - 1;
            }
        }
    }

    /// <summary>The entries, most recently used first, and the events after <paramref name="after"/> (-1: every one still held).</summary>
    public CacheContents GetContents(long after, bool enabled)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var entries = _recency.Select(e => new CacheEntryView(
                e.Name, e.Quote.Quote.Version, e.Quote.Quote.Quantity, Math.Round(_time.GetElapsedTime(e.StoredAt, now).TotalMilliseconds, 1))).ToArray();
            var events = _events.After(after, out var missed);
            return new CacheContents(Capacity, enabled, entries, events, _events.Next - 1, missed);
        }
    }

    private bool IsStale(CacheTicket ticket, StockQuote quote)
    {
        if (ticket.Generation < _ticketFloor)
        {
            return true;
        }

        if (_marks.TryGetValue(ticket.Name, out var mark) && (mark.Generation > ticket.Generation || quote.Version < mark.Version))
        {
            return true;
        }

        // Two racing misses: never replace a newer quote with an older one.
        return _entries.TryGetValue(ticket.Name, out var existing) && existing.Value.Quote.Quote.Version > quote.Version;
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Name);
    }

    private sealed record Entry(string Name, CachedQuote Quote, long StoredAt);

    private sealed record Mark(long Generation, long Version);
}
