using Microsoft.Extensions.Logging;
using StockNet.Protocol;

namespace StockNet.Orders.Leadership;

/// <summary>
/// The role of this replica and the epoch it holds, with every transition an explicit, logged method.
/// Guarantee: the epoch only increases, it is persisted (in the log's meta table) before any role at that
/// epoch is taken, and nothing from an older epoch (announcement or replicated entry) is accepted.
/// </summary>
public sealed partial class ReplicaState
{
    private readonly OrderLog _log;
    private readonly ClusterTopology _topology;
    private readonly ILogger<ReplicaState> _logger;
    private readonly Lock _lock = new();
    private RoleSnapshot _current;
    private volatile bool _ready;

    // The epoch this replica last gave up leading (-1: none since the start); read and written under the lock.
    private long _abdicated = -1;

    public ReplicaState(OrderLog log, ClusterTopology topology, ILogger<ReplicaState> logger)
    {
        _log = log;
        _topology = topology;
        _logger = logger;
        _current = new RoleSnapshot(ReplicaRole.Follower, null, log.Epoch);
    }

    public RoleSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The newest epoch seen (persisted).</summary>
    public long Epoch => _log.Epoch;

    /// <summary>True once start-up catch-up has finished: the replica may be elected and serve.</summary>
    public bool Ready => _ready;

    public void MarkReady()
    {
        _ready = true;
        LogReady(_logger, _topology.Self.Id, _log.MaxTransaction, Epoch);
    }

    /// <summary>
    /// Handles <c>/set_leader</c>. A missing epoch (a seed front-end) means "at the current epoch". Answers the role the
    /// announcement left, so the caller recovers at the epoch this replica was named leader in, even if another
    /// announcement has replaced that role by the time it acts.
    /// </summary>
    public Announcement Announce(string leaderUrl, long? epoch)
    {
        try
        {
            lock (_lock)
            {
                var outcome = AnnounceLocked(leaderUrl, epoch);
                return new Announcement(outcome, _current);
            }
        }
        finally
        {
            AfterAnnounce?.Invoke();
        }
    }

    /// <summary>
    /// A test seam: runs after an announcement was decided and the lock let go, before its caller acts on it (a test
    /// announces another leader from it, as a second <c>/set_leader</c> arriving at that moment would).
    /// </summary>
    internal Action? AfterAnnounce { get; set; }

    /// <summary>
    /// A test seam: runs after a replication check was decided, before its caller stores the entries (a test raises a
    /// newer epoch from it, as a new leader's announcement arriving at that moment would).
    /// </summary>
    internal Action? AfterReplicationCheck { get; set; }

    private AnnouncementOutcome AnnounceLocked(string leaderUrl, long? epoch)
    {
        var at = epoch ?? _log.Epoch;
        if (at < _log.Epoch)
        {
            return AnnouncementOutcome.Stale;
        }

        var current = _current;
        if (epoch is not null && ClaimsEpochForAnother(current, leaderUrl, at))
        {
            LogConflictingLeader(_logger, _topology.Self.Id, at, current.LeaderUrl!, leaderUrl);
            return AnnouncementOutcome.Stale;
        }

        _log.TryRaiseEpoch(at);
        if (_topology.IsSelf(leaderUrl))
        {
            if (current.Role != ReplicaRole.Follower && current.Epoch == at)
            {
                return AnnouncementOutcome.Unchanged;
            }

            if (at == _abdicated)
            {
                // It stepped down from this very term (replaced, or cut from a majority): leading it again would
                // only repeat that, so the elector is told to elect afresh.
                LogAbdicated(_logger, _topology.Self.Id, at);
                return AnnouncementOutcome.Stale;
            }

            Transition(new RoleSnapshot(ReplicaRole.RecoveringLeader, _topology.Self.Url, at));
            return AnnouncementOutcome.StartRecovery;
        }

        var leader = ReplicaList.Normalize(leaderUrl);
        if (current.Role == ReplicaRole.Follower && current.Epoch == at && ReplicaList.SameReplica(current.LeaderUrl, leader))
        {
            return AnnouncementOutcome.Unchanged;
        }

        Transition(new RoleSnapshot(ReplicaRole.Follower, leader, at));
        return AnnouncementOutcome.StartResync;
    }

    /// <summary>
    /// At most one leader per epoch: once this replica holds a leader at <paramref name="epoch"/> (itself or a peer),
    /// an announcement of a different leader at the same epoch is refused like an older one. Two front-ends that
    /// pick the same epoch for different replicas would otherwise crown two leaders whose entries overwrite each
    /// other. A leader unknown at this epoch (after a restart, or raised by a replicated entry) accepts the first. A
    /// seed front-end sends no epoch and re-elects within one, so its announcements keep the old rule.
    /// </summary>
    private static bool ClaimsEpochForAnother(RoleSnapshot current, string leaderUrl, long epoch) =>
        current.Epoch == epoch && current.LeaderUrl is { } held && !ReplicaList.SameReplica(held, ReplicaList.Normalize(leaderUrl));

    /// <summary>Recovery at <paramref name="epoch"/> is done: become Leader, unless a newer announcement came meanwhile.</summary>
    public bool TryCompleteRecovery(long epoch)
    {
        lock (_lock)
        {
            if (_current is not { Role: ReplicaRole.RecoveringLeader } recovering || recovering.Epoch != epoch)
            {
                return false;
            }

            Transition(recovering with { Role = ReplicaRole.Leader });
            return true;
        }
    }

    /// <summary>
    /// Ends this replica's term at <paramref name="epoch"/>: a follower reported a newer epoch, or too few replicas
    /// stored an entry or accepted the epoch. It follows nobody until a leader is announced, and never leads this
    /// epoch again.
    /// </summary>
    public void StepDown(long epoch)
    {
        lock (_lock)
        {
            if (_current.Role == ReplicaRole.Follower || _current.Epoch != epoch)
            {
                return;
            }

            _abdicated = epoch;
            Transition(new RoleSnapshot(ReplicaRole.Follower, null, _current.Epoch));
        }
    }

    /// <summary>
    /// Fences <c>/replicate_order</c>: refuses older epochs and the leader's own, adopts newer ones. An entry without an
    /// epoch (a seed leader's) is checked at the newest epoch seen, read once: the answer carries that epoch, and the
    /// caller stores such an entry at it, so that a newer epoch arriving before the store refuses the entry there, as
    /// it would any entry of the older epoch.
    /// </summary>
    public ReplicationFence CheckReplication(long? epoch)
    {
        var at = epoch ?? _log.Epoch;
        try
        {
            return new ReplicationFence(Check(at), at);
        }
        finally
        {
            AfterReplicationCheck?.Invoke();
        }
    }

    private ReplicationCheck Check(long at)
    {
        var current = Current;
        if (at == current.Epoch && at == _log.Epoch)
        {
            // The hot path: no lock for the usual case of a follower at the leader's epoch.
            return current.Role == ReplicaRole.Follower ? ReplicationCheck.Accept : ReplicationCheck.NotFollower;
        }

        lock (_lock)
        {
            if (at < _log.Epoch)
            {
                return ReplicationCheck.Stale;
            }

            if (at > _log.Epoch || at > _current.Epoch)
            {
                // A leader of a newer epoch exists; whoever we were, we follow it now. Its URL comes with its
                // announcement; until then the leader is unknown, never the previous epoch's.
                _log.TryRaiseEpoch(at);
                Transition(new RoleSnapshot(ReplicaRole.Follower, null, at));
                return ReplicationCheck.Accept;
            }

            return _current.Role == ReplicaRole.Follower ? ReplicationCheck.Accept : ReplicationCheck.NotFollower;
        }
    }

    private void Transition(RoleSnapshot next)
    {
        var previous = _current;
        Volatile.Write(ref _current, next);
        LogTransition(_logger, _topology.Self.Id, previous.Role, next.Role, previous.Epoch, next.Epoch, next.LeaderUrl ?? "(unknown)");
    }
}
