using System.Text.Json.Serialization;

namespace StockNet.FrontEnd.Clients;

/// <summary>
/// <c>GET /ping</c> as the front-end reads it. Our extensions are nullable so that a seed replica, which sends only
/// status, replica_id and leader_id, reads as ready at epoch 0 rather than as never ready.
/// </summary>
public sealed record ReplicaPing(
    string? Status,
    int ReplicaId,
    string? LeaderId,
    long? Epoch = null,
    bool? Ready = null,
    bool? IsLeader = null,
    long? MaxTransaction = null)
{
    [JsonIgnore]
    public long EpochOrZero => Epoch ?? 0;

    [JsonIgnore]
    public bool IsReady => Ready ?? true;
}
