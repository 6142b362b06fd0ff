using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Leadership;

/*
 * Keeps one order leader in LeaderState. Guarantees:
 *  - the leader is the highest-id replica that answered ready when it was elected;
 *  - every election announces an epoch above any this front-end used or any replica showed, so replicas can
 *    fence a replaced leader, and a restarted front-end never goes back to an older epoch; with several
 *    front-ends each announces only its own epochs (LeaderElectionOptions.Electors), so no two share one;
 *  - a front-end that sees a replica leading at a newer epoch than its own leader's follows it without electing,
 *    so front-ends that disagree settle on the newest leader instead of deposing each other's;
 *  - elections are single-flight: concurrent triggers (ticks, failing requests) share one run and its result;
 *  - it crowns a replica only while a majority of the replicas answers ready, since a leader needs a majority to
 *    accept its epoch and to store each order before it acknowledges one.
 * Each tick probes the leader; every few ticks it also probes the followers, so a resumed old leader learns
 * it was replaced. With no ready replica there is no leader, and every tick tries again.
 */
public sealed partial class LeaderElector : BackgroundService
{
    // Followers are checked every this many ticks: often enough to fence a resumed leader within a second.
    private const int FollowerCheckTicks = 10;

    // An election's patience grows up to this many times ElectionProbeTimeout (see _electionTimeout).
    private const int MaxPatienceFactor = 8;

    private readonly IReadOnlyList<ReplicaAddress> _replicas;
    private readonly LeaderElectionOptions _options;
    private readonly OrderReplicaClient _client;
    private readonly LeaderState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaderElector> _logger;
    private readonly Lock _gate = new();
    private Task<LeaderSnapshot?>? _election;
    private CancellationToken _stopping;
    private long _ticks;
    private int _missedProbes;
    private long _electionFinished;
    private LostLeader? _lostLeader;
    private bool _noLeaderLogged;

    // How long this election waits for each ping and announcement. It doubles after each election that found no
    // majority while some replica did not answer, up to MaxPatienceFactor times ElectionProbeTimeout, and returns to
    // it once a leader is found: on a starved machine every replica may answer later than 300 ms, and an elector
    // that never waits longer would find no majority for as long as the machine stays busy.
    private TimeSpan _electionTimeout;

    // A misspelled list refuses every election the same way: say so once until a leader is installed.
    private bool _unknownLeaderLogged;

    public LeaderElector(
        IOptions<LeaderElectionOptions> options,
        IOptions<FrontEndOptions> frontEndOptions,
        OrderReplicaClient client,
        LeaderState state,
        TimeProvider time,
        ILogger<LeaderElector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(frontEndOptions);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = new List<string>();
        var replicas = ReplicaList.Parse(frontEndOptions.Value.OrderReplicas, "FrontEnd:OrderReplicas", errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(FrontEndOptions.SectionName, typeof(FrontEndOptions), errors);
        }

        _replicas = [.. replicas.OrderByDescending(r => r.Id)];
        _options = options.Value;
        _electionTimeout = _options.ElectionProbeTimeout;
        _client = client;
        _state = state;
        _time = time;
        _logger = logger;
    }

    /// <summary>The replicas, highest id first.</summary>
    public IReadOnlyList<ReplicaAddress> Replicas => _replicas;

    /// <summary>How long an election that found no leader is answered again instead of rerun (see <see cref="ElectAsync"/>).</summary>
    public TimeSpan ProbeInterval => _options.ProbeInterval;

    /// <summary>More than half the replicas: how many must be ready before an election crowns one.</summary>
    private int Majority => (_replicas.Count / 2) + 1;

    /// <summary>
    /// For a caller that found no leader: returns the leader if one was installed meanwhile, else runs an election
    /// or joins the one under way. An election that found no leader less than a probe interval ago is answered
    /// again rather than rerun, so a burst of orders with every replica down does not become a burst of probes;
    /// the ticks keep trying.
    /// </summary>
    public Task<LeaderSnapshot?> ElectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_state.Current is { } current)
            {
                return Task.FromResult<LeaderSnapshot?>(current);
            }

            if (_election is { IsCompletedSuccessfully: true, Result: null } failed
                && _time.GetElapsedTime(_electionFinished) < _options.ProbeInterval)
            {
                return failed;
            }

            return StartOrJoinElection().WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A request could not get an answer from <paramref name="snapshot"/>: elect now. If that snapshot was already
    /// replaced, nothing new starts; the caller gets the running election's result or the current leader.
    /// </summary>
    public Task<LeaderSnapshot?> ReportFailureAsync(LeaderSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_election is { IsCompleted: false } running)
            {
                return running.WaitAsync(cancellationToken);
            }

            if (!ReferenceEquals(_state.Current, snapshot))
            {
                return Task.FromResult(_state.Current);
            }

            Volatile.Write(ref _lostLeader, new LostLeader(snapshot.ReplicaId, _time.GetTimestamp()));
            return StartOrJoinElection().WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        using var timer = new PeriodicTimer(_options.ProbeInterval, _time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.TickFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One probe round: elect if there is no leader or it is gone, else keep leader and followers in line.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var leader = _state.Current;
        if (leader is null)
        {
            Task<LeaderSnapshot?> election;
            lock (_gate)
            {
                election = StartOrJoinElection();
            }

            await election.WaitAsync(cancellationToken);
            return;
        }

        var ping = await _client.PingAsync(leader.Url, _options.ProbeTimeout, cancellationToken);
        if (ping is null && ++_missedProbes < _options.MissedProbesBeforeElection)
        {
            return;
        }

        if (ping is not null)
        {
            _missedProbes = 0;
        }

        if (ping is null || ping.EpochOrZero > leader.Epoch)
        {
            _missedProbes = 0;
            // Gone, or someone announced a newer epoch than ours: only a fresh election settles it.
            Log.LeaderLost(_logger, leader.ReplicaId, leader.Epoch);
            await ReportFailureAsync(leader, cancellationToken);
            return;
        }

        if (!FollowsLeader(ping, leader))
        {
            await ReannounceAsync(leader.Replica, leader, cancellationToken);
        }

        if (++_ticks % FollowerCheckTicks == 0)
        {
            await CheckFollowersAsync(leader, cancellationToken);
        }
    }

    private Task<LeaderSnapshot?> StartOrJoinElection()
    {
        if (_election is not { IsCompleted: false })
        {
            // Task.Run: the election must not start its probes while the caller holds the gate.
            _election = Task.Run(RunElectionAsync, CancellationToken.None);
        }

        return _election;
    }

    private async Task<LeaderSnapshot?> RunElectionAsync()
    {
        var leader = await ElectOnceAsync();
        if (leader is not null)
        {
            _electionTimeout = _options.ElectionProbeTimeout;
        }

        return leader;
    }

    private async Task<LeaderSnapshot?> ElectOnceAsync()
    {
        var pings = await PingAllAsync();

        // A replica leading at a newer epoch than ours was crowned by another front-end (or by us before a
        // restart): follow it. Electing again would only depose it, and the other front-end would depose ours.
        var current = _state.Current;
        if ((current is null || _state.Epoch > current.Epoch) && FindSittingLeader(pings, followingNewer: current is not null) is { } sitting)
        {
            return Adopt(sitting.Replica, sitting.Epoch);
        }

        // The leader still leads at our epoch (a request merely timed out): a new epoch would only send it, or
        // another, through leader recovery.
        var currentIndex = current is null ? -1 : IndexOf(current.ReplicaId);
        if (currentIndex >= 0 && pings[currentIndex] is { Ready: true } leaderPing && FollowsLeader(leaderPing, current!))
        {
            return current;
        }

        // A leader needs a majority of the replicas to accept its epoch and store its orders: with fewer ready than
        // that, a candidate could only step down again, and each try would cost an epoch.
        var ready = pings.Count(ping => ping is { Ready: true });
        foreach (var i in ready >= Majority ? CandidateOrder() : [])
        {
            if (pings[i] is not { Ready: true })
            {
                continue;
            }

            // An epoch is used up only when announced, so elections that find no ready replica do not inflate it.
            var (elected, outcome) = await TryInstallAsync(_replicas[i], _state.NextEpoch(_options.ElectorId, _options.Electors));
            if (elected is not null)
            {
                return elected;
            }

            // Refused as stale: another front-end elected meanwhile. Follow its leader rather than crown the next
            // replica at a still newer epoch, which would depose it and make the other front-end elect in turn.
            if (outcome == ReplicaAck.StaleEpoch
                && FindSittingLeader(pings = await PingAllAsync(), followingNewer: true) is { } newer)
            {
                return Adopt(newer.Replica, newer.Epoch);
            }
        }

        _state.Swap(null);
        _electionFinished = _time.GetTimestamp();
        if (pings.Any(ping => ping is null))
        {
            var longest = _options.ElectionProbeTimeout * MaxPatienceFactor;
            _electionTimeout = _electionTimeout * 2 < longest ? _electionTimeout * 2 : longest;
        }

        if (!_noLeaderLogged)
        {
            _noLeaderLogged = true;
            Log.NoLeaderAvailable(_logger, ready, _replicas.Count, _state.Epoch);
        }

        return null;
    }

    /// <summary>
    /// A ready replica that reports it leads at the highest epoch any replica reports (and at least the highest
    /// this front-end used): a restarted front-end, or one that lost sight of every replica, finds the leader a
    /// previous election installed. Keeping it spares it a second recovery; an older epoch never wins.
    /// </summary>
    private (ReplicaAddress Replica, long Epoch)? FindSittingLeader(PingReply?[] pings, bool followingNewer)
    {
        // Every ping's epoch was observed already, so the state's epoch is the highest of them all.
        var highest = _state.Epoch;
        for (var i = 0; i < _replicas.Count; i++)
        {
            if (pings[i] is { Ready: true, Epoch: { } epoch } ping && epoch == highest && ClaimsLeadership(ping, _replicas[i], followingNewer))
            {
                return (_replicas[i], epoch);
            }
        }

        return null;
    }

    private LeaderSnapshot Adopt(ReplicaAddress replica, long epoch)
    {
        var snapshot = new LeaderSnapshot(replica, epoch);
        _state.Swap(snapshot);
        _noLeaderLogged = false;
        _unknownLeaderLogged = false;
        Log.LeaderAdopted(_logger, replica.Id, epoch, replica.Url);
        return snapshot;
    }

    /// <summary>
    /// Highest id first, except that a leader lost less than <see cref="LeaderElectionOptions.LostLeaderHoldOff"/> ago
    /// comes last: a replica behind a slow or lossy link answers an election's patient ping but misses the leader
    /// probes, and electing it again would make it flap. Another ready replica leads instead, for one election.
    /// </summary>
    private List<int> CandidateOrder()
    {
        var lost = Volatile.Read(ref _lostLeader);
        var holdOff = lost is not null && _time.GetElapsedTime(lost.At) < _options.LostLeaderHoldOff;
        var order = Enumerable.Range(0, _replicas.Count).ToList();
        if (holdOff && IndexOf(lost!.ReplicaId) is var index and >= 0)
        {
            order.Remove(index);
            order.Add(index);
        }

        return order;
    }

    private int IndexOf(int replicaId)
    {
        for (var i = 0; i < _replicas.Count; i++)
        {
            if (_replicas[i].Id == replicaId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Every replica's ping, highest id first, each epoch observed; null for one that did not answer in time.</summary>
    private async Task<PingReply?[]> PingAllAsync()
    {
        var pings = await Task.WhenAll(_replicas.Select(r => _client.PingAsync(r.Url, _electionTimeout, _stopping)));
        foreach (var ping in pings)
        {
            _state.ObserveEpoch(ping?.EpochOrZero ?? 0);
        }

        return pings;
    }

    /// <summary>
    /// Announces the winner to itself first (it must accept), then to the others, then swaps it in. Announcements
    /// get the election's longer timeout: one that times out after the replica accepted costs a second recovery.
    /// </summary>
    private async Task<(LeaderSnapshot? Elected, ReplicaAck Outcome)> TryInstallAsync(ReplicaAddress winner, long epoch)
    {
        _state.ObserveEpoch(epoch);
        var announcement = new LeaderAnnouncement(winner.Url, epoch);
        var outcome = await _client.AnnounceAsync(winner.Url, announcement, _electionTimeout, _stopping);
        if (outcome == ReplicaAck.UnknownLeader)
        {
            if (!_unknownLeaderLogged)
            {
                _unknownLeaderLogged = true;
                Log.UnknownLeader(_logger, winner.Id, winner.Url);
            }

            return (null, outcome);
        }

        if (outcome != ReplicaAck.Accepted)
        {
            Log.AnnouncementRefused(_logger, winner.Id, epoch, outcome);
            return (null, outcome);
        }

        await Task.WhenAll(_replicas
            .Where(r => r.Id != winner.Id)
            .Select(r => _client.AnnounceAsync(r.Url, announcement, _electionTimeout, _stopping)));
        var snapshot = new LeaderSnapshot(winner, epoch);
        _state.Swap(snapshot);
        _noLeaderLogged = false;
        _unknownLeaderLogged = false;
        Log.LeaderElected(_logger, winner.Id, epoch, winner.Url);
        return (snapshot, outcome);
    }

    private async Task CheckFollowersAsync(LeaderSnapshot leader, CancellationToken cancellationToken)
    {
        var followers = _replicas.Where(r => r.Id != leader.ReplicaId).ToArray();
        var pings = await Task.WhenAll(followers.Select(r => _client.PingAsync(r.Url, _options.ProbeTimeout, cancellationToken)));
        for (var i = 0; i < followers.Length; i++)
        {
            if (pings[i] is { } ping && !FollowsLeader(ping, leader))
            {
                await ReannounceAsync(followers[i], leader, cancellationToken);
            }
        }
    }

    private async Task ReannounceAsync(ReplicaAddress replica, LeaderSnapshot leader, CancellationToken cancellationToken)
    {
        Log.Reannouncing(_logger, replica.Id, leader.ReplicaId, leader.Epoch);
        var announcement = new LeaderAnnouncement(leader.Url, leader.Epoch);
        var outcome = await _client.AnnounceAsync(replica.Url, announcement, _options.ProbeTimeout, cancellationToken);
        if (outcome == ReplicaAck.StaleEpoch)
        {
            // The replica knows a newer epoch than our leader's: ours is not the leader any more.
            await ReportFailureAsync(leader, cancellationToken);
        }
    }

    // A leader still recovering was named by another front-end a moment ago when ours is older: following it costs
    // a short wait, electing another would cost a second recovery and depose the other front-end's choice. Without a
    // leader of our own (a start) only a leader that finished recovery is kept, so the highest ready id wins.
    private static bool ClaimsLeadership(PingReply ping, ReplicaAddress replica, bool followingNewer) =>
        ping.IsLeader || (followingNewer && ReplicaList.SameReplica(ping.LeaderId, replica.Url));

    // A seed replica reports no epoch, and a leader still recovering reports is_leader false: the leader id and
    // epoch alone say whether the replica follows our leader.
    private static bool FollowsLeader(PingReply ping, LeaderSnapshot leader) =>
        (ping.Epoch is null || ping.Epoch == leader.Epoch) && ReplicaList.SameReplica(ping.LeaderId, leader.Url);

    /// <summary>The leader whose loss started the last election, and when.</summary>
    private sealed record LostLeader(int ReplicaId, long At);
}
