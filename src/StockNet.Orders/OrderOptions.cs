using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>How one order replica runs: who it is, who its peers are, where it keeps its log and how long it waits.</summary>
public sealed class OrderOptions
{
    public const string SectionName = "Orders";

    /// <summary>The default cluster: replicas 1..3 on ports 8998..9000.</summary>
    public const string DefaultReplicas = "http://127.0.0.1:8998,http://127.0.0.1:8999,http://127.0.0.1:9000";

    /// <summary>This replica's id, 1-based: its position in <see cref="Replicas"/> (required).</summary>
    public int ReplicaId { get; set; }

    /// <summary>
    /// Comma-separated base URLs of every replica, this one included; the id of a plain URL is its position + 1.
    /// Items may also be written "id=url".
    /// </summary>
    public string Replicas { get; set; } = DefaultReplicas;

    /// <summary>The seed's TOTAL_REPLICAS: when set, it must match the number of replicas listed.</summary>
    public int? TotalReplicas { get; set; }

    /// <summary>Where the log lives; defaults to data/order-{id}.</summary>
    public string? DataDir { get; set; }

    /// <summary>The SQLite log file; defaults to {DataDir}/order_log_{id}.db.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>The catalog's base URL.</summary>
    public string CatalogUrl { get; set; } = "http://127.0.0.1:8997";

    /// <summary>
    /// How long the leader waits for the catalog to apply a trade. Shorter than the front-end's order timeout (2 s),
    /// so a hung catalog reaches the client as 503 "catalog-unavailable" rather than as a silent leader.
    /// </summary>
    public TimeSpan CatalogTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How long the leader waits for every follower to store an entry; a slower one is skipped and catches up later.</summary>
    public TimeSpan ReplicationTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long the leader waits, counted like <see cref="ReplicationTimeout"/> from the send, until a majority of the replicas
    /// holds an entry, before it gives up its term (503 "no-quorum"). Longer than the wait for every follower, so a busy
    /// machine or a slow link costs latency before it costs an election.
    /// </summary>
    public TimeSpan QuorumTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sync: followers are sent the entry before the reply; Async: fire and forget.</summary>
    public ReplicationMode ReplicationMode { get; set; } = ReplicationMode.Sync;

    /// <summary>How long a catch-up or recovery call to a peer may take.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one streamed log suffix may take: what a peer wrote after the point where our logs agree (usually a
    /// few rows; a replica that was down for long, or an empty one, takes the whole difference in one stream).
    /// </summary>
    public TimeSpan SuffixTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a new leader waits for each peer to accept its epoch. A peer silent this long (crashed or
    /// paused) is left out of the merge too, so one hung replica does not hold a failover for two peer timeouts;
    /// what only it holds reaches the log through the catalog journal's reconciliation.
    /// </summary>
    public TimeSpan FenceTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often a follower retries a resync from an unreachable leader.</summary>
    public TimeSpan ResyncRetryInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a leader reconciles the catalog's journal with its log (and a follower advances its watermark).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(1);

    public string ResolvedDataDir => string.IsNullOrWhiteSpace(DataDir) ? Path.Combine("data", $"order-{ReplicaId}") : DataDir;

    public string ResolvedDatabasePath =>
        string.IsNullOrWhiteSpace(DatabasePath) ? Path.Combine(ResolvedDataDir, $"order_log_{ReplicaId}.db") : DatabasePath;
}
