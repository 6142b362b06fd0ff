using Microsoft.Extensions.Options;
using StockNet.Protocol;

namespace StockNet.Orders;

/// <summary>Checks the whole <see cref="OrderOptions"/> at start-up and reports every error at once, not just the first.</summary>
internal sealed class OrderOptionsValidator : IValidateOptions<OrderOptions>
{
    public ValidateOptionsResult Validate(string? name, OrderOptions options)
    {
        var errors = new List<string>();
        var replicas = ReplicaList.Parse(options.Replicas, "Orders:Replicas", errors);
        if (options.ReplicaId < 1)
        {
            errors.Add("Orders:ReplicaId (REPLICA_ID) is required and must be 1 or more.");
        }
        else if (replicas.Count > 0 && !replicas.Any(r => r.Id == options.ReplicaId))
        {
            errors.Add($"Orders:ReplicaId {options.ReplicaId} is not in Orders:Replicas.");
        }

        if (options.TotalReplicas is { } total && total != replicas.Count)
        {
            errors.Add($"TOTAL_REPLICAS is {total} but Orders:Replicas lists {replicas.Count}.");
        }

        if (!ReplicaList.IsHttpUrl(options.CatalogUrl))
        {
            errors.Add($"Orders:CatalogUrl '{options.CatalogUrl}' is not an absolute http URL.");
        }

        CheckPositive(errors, "CatalogTimeout", options.CatalogTimeout);
        CheckPositive(errors, "ReplicationTimeout", options.ReplicationTimeout);
        CheckPositive(errors, "QuorumTimeout", options.QuorumTimeout);
        CheckPositive(errors, "PeerTimeout", options.PeerTimeout);
        CheckPositive(errors, "SuffixTimeout", options.SuffixTimeout);
        CheckPositive(errors, "FenceTimeout", options.FenceTimeout);
        CheckPositive(errors, "ResyncRetryInterval", options.ResyncRetryInterval);
        CheckPositive(errors, "ReconcileInterval", options.ReconcileInterval);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Orders:{key} must be positive, not {value}.");
        }
    }
}
