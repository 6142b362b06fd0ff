using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StockNet.Contracts;
using StockNet.FrontEnd.Caching;
using StockNet.Protocol;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Telemetry;

/// <summary>
/// Builds <see cref="ClusterStatus"/> on demand: pings every replica and the catalog (one short attempt each)
/// and adds the cache, the traffic window and the timeline. A snapshot serves every reader for
/// <see cref="MaxAge"/>, and only one refresh runs at a time, so many dashboards cost one round of pings.
/// Nothing runs while nobody asks. Changes between two snapshots (a replica down, back or recovering; the
/// catalog lost or back) go to the <see cref="ClusterTimeline"/>.
/// </summary>
public sealed class ClusterMonitor
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(300);

    private readonly LeaderElector _elector;
    private readonly LeaderState _leader;
    private readonly OrderReplicaClient _replicas;
    private readonly CatalogClient _catalog;
    private readonly QuoteLookup _lookup;
    private readonly FrontEndTraffic _traffic;
    private readonly ClusterTimeline _timeline;
    private readonly TimeProvider _time;
    private readonly string _self;
    private readonly string _catalogUrl;
    private readonly Lock _gate = new();
    private Task<ClusterStatus>? _refresh;
    private long _refreshedAt;
    private ClusterStatus? _previous;

    public ClusterMonitor(
        LeaderElector elector,
        LeaderState leader,
        OrderReplicaClient replicas,
        CatalogClient catalog,
        QuoteLookup lookup,
        FrontEndTraffic traffic,
        ClusterTimeline timeline,
        IOptions<FrontEndOptions> options,
        IConfiguration configuration,
        TimeProvider time)
    {
        (_elector, _leader, _replicas, _catalog, _lookup, _traffic, _timeline, _time) = (elector, leader, replicas, catalog, lookup, traffic, timeline, time);
        _self = (configuration["urls"] ?? "").Split(';')[0];
        _catalogUrl = options.Value.CatalogUrl.TrimEnd('/');
    }

    public Task<ClusterStatus> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refresh is null || (_refresh.IsCompleted && _time.GetElapsedTime(_refreshedAt) >= MaxAge))
            {
                _refreshedAt = _time.GetTimestamp();
                _refresh = Task.Run(RefreshAsync, CancellationToken.None);
            }

            return _refresh.WaitAsync(cancellationToken);
        }
    }

    private async Task<ClusterStatus> RefreshAsync()
    {
        var replicas = _elector.Replicas.OrderBy(r => r.Id).ToArray();
        var pings = replicas.Select(r => _replicas.PingAsync(r.Url, PingTimeout, CancellationToken.None)).ToArray();
        var catalogReady = _catalog.IsReadyAsync(PingTimeout, CancellationToken.None);
        var answers = await Task.WhenAll(pings);
        var catalogUp = await catalogReady;

        var leader = _leader.Current;
        var leaderHead = leader is null ? null : answers[Array.FindIndex(replicas, r => r.Id == leader.ReplicaId)]?.MaxTransaction;
        var status = new ClusterStatus(
            _self,
            _time.GetUtcNow(),
            leader?.ReplicaId,
            _leader.Epoch,
            [.. replicas.Select((r, i) => Describe(r, answers[i], leaderHead))],
            new ServiceStatus(_catalogUrl, catalogUp, catalogUp),
            _lookup.Cache.GetStats(_lookup.Enabled),
            Traffic(),
            []);
        RecordChanges(status);
        return status with { Events = _timeline.Recent() };
    }

    private static ReplicaStatus Describe(ReplicaAddress replica, PingReply? ping, long? leaderHead)
    {
        if (ping is null)
        {
            return new ReplicaStatus(replica.Id, replica.Url, Up: false, Ready: false, "down", null, null, null);
        }

        var role = ping switch
        {
            { IsLeader: true } => "leader",
            { Ready: false } => "starting",
            _ when ReplicaList.SameReplica(ping.LeaderId, replica.Url) => "recovering",
            _ => "follower",
        };
        var lag = leaderHead is { } head && ping.MaxTransaction is { } own ? Math.Max(0, head - own) : (long?)null;
        return new ReplicaStatus(replica.Id, replica.Url, Up: true, ping.Ready, role, ping.Epoch, ping.MaxTransaction, lag);
    }

    private TrafficStats Traffic()
    {
        var trades = _traffic.Trades.Summarize();
        var lookups = _traffic.Lookups.Summarize();
        return new TrafficStats(TrafficWindow.WindowSeconds, trades.PerSecond, trades.P50Ms, trades.P99Ms, lookups.PerSecond, lookups.P50Ms, lookups.P99Ms);
    }

    private void RecordChanges(ClusterStatus next)
    {
        var previous = Interlocked.Exchange(ref _previous, next);
        if (previous is null)
        {
            return;
        }

        foreach (var replica in next.Replicas)
        {
            var before = Array.Find(previous.Replicas, r => r.Id == replica.Id);
            if (before is null || before.Role == replica.Role)
            {
                continue;
            }

            if (replica.Role == "down")
            {
                _timeline.Add("replica-down", $"Replica {replica.Id} stopped answering.");
            }
            else if (before.Role == "down")
            {
                _timeline.Add("replica-up", $"Replica {replica.Id} is back ({replica.Role}).");
            }
            else if (replica.Role == "recovering")
            {
                _timeline.Add("recovery", $"Replica {replica.Id} is recovering to lead at epoch {replica.Epoch}.");
            }
            else if (before.Role == "recovering" && replica.Role == "leader")
            {
                _timeline.Add("recovered", $"Replica {replica.Id} finished its recovery and leads.");
            }
        }

        if (previous.Catalog.Up != next.Catalog.Up)
        {
            _timeline.Add(next.Catalog.Up ? "catalog-up" : "catalog-down", next.Catalog.Up ? "The catalog answers again." : "The catalog stopped answering.");
        }
    }
}
