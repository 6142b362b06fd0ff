namespace StockNet.FrontEnd.Clients;

/// <summary>How a replica took a <c>POST /set_leader</c>.</summary>
public enum AnnounceOutcome
{
    Accepted,

    /// <summary>409 "stale-epoch": the replica has seen a newer epoch than the one announced.</summary>
    StaleEpoch,

    Failed,
}
