namespace StockNet.FrontEnd.Clients;

/// <summary>How a replica took a <c>POST /set_leader</c>.</summary>
public enum AnnounceOutcome
{
    Accepted,

    /// <summary>409 "stale-epoch": the replica has seen a newer epoch than the one announced.</summary>
    StaleEpoch,

    /// <summary>400 "unknown-replica": the announced URL is not in the replica's own list, spelled differently there.</summary>
    UnknownLeader,

    Failed,
}
