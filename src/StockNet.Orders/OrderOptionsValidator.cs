using Microsoft.Extensions.Options;
using StockNet.Hosting;
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

        OptionChecks.RequirePositive(errors, "Orders:CatalogTimeout", options.CatalogTimeout);
        OptionChecks.RequirePositive(errors, "Orders:ReplicationTimeout", options.ReplicationTimeout);
        OptionChecks.RequirePositive(errors, "Orders:QuorumTimeout", options.QuorumTimeout);
        OptionChecks.RequirePositive(errors, "Orders:PeerTimeout", options.PeerTimeout);
        OptionChecks.RequirePositive(errors, "Orders:SuffixTimeout", options.SuffixTimeout);
        OptionChecks.RequirePositive(errors, "Orders:FenceTimeout", options.FenceTimeout);
        OptionChecks.RequirePositive(errors, "Orders:ResyncRetryInterval", options.ResyncRetryInterval);
        OptionChecks.RequirePositive(errors, "Orders:ReconcileInterval", options.ReconcileInterval);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
