using Microsoft.Extensions.Options;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Leadership;
using StockNet.Hosting;
using StockNet.Protocol;

namespace StockNet.FrontEnd;

/// <summary>Checks <see cref="FrontEndOptions"/> at start-up; collects every error rather than stopping at the first.</summary>
internal sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
    public ValidateOptionsResult Validate(string? name, FrontEndOptions options)
    {
        var errors = new List<string>();
        if (!ReplicaList.IsHttpUrl(options.CatalogUrl))
        {
            errors.Add($"FrontEnd:CatalogUrl ('{options.CatalogUrl}') is not an absolute http(s) URL.");
        }

        ReplicaList.Parse(options.OrderReplicas, "FrontEnd:OrderReplicas", errors);
        OptionChecks.RequirePositive(errors, "FrontEnd:CatalogTimeout", options.CatalogTimeout);
        OptionChecks.RequirePositive(errors, "FrontEnd:OrderTimeout", options.OrderTimeout);
        OptionChecks.RequirePositive(errors, "FrontEnd:FailoverBudget", options.FailoverBudget);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="CacheOptions"/> at start-up.</summary>
internal sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        var errors = new List<string>();
        if (options.Capacity < 1)
        {
            errors.Add($"Cache:Capacity must be at least 1, not {options.Capacity}.");
        }

        OptionChecks.RequirePositive(errors, "Cache:Ttl", options.Ttl);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="LeaderElectionOptions"/> at start-up.</summary>
internal sealed class LeaderElectionOptionsValidator : IValidateOptions<LeaderElectionOptions>
{
    public ValidateOptionsResult Validate(string? name, LeaderElectionOptions options)
    {
        var errors = new List<string>();
        OptionChecks.RequirePositive(errors, "LeaderElection:ProbeInterval", options.ProbeInterval);
        OptionChecks.RequirePositive(errors, "LeaderElection:ProbeTimeout", options.ProbeTimeout);
        OptionChecks.RequirePositive(errors, "LeaderElection:ElectionProbeTimeout", options.ElectionProbeTimeout);
        OptionChecks.RequirePositive(errors, "LeaderElection:LostLeaderHoldOff", options.LostLeaderHoldOff);
        if (options.MissedProbesBeforeElection < 1)
        {
            errors.Add($"LeaderElection:MissedProbesBeforeElection must be at least 1, not {options.MissedProbesBeforeElection}.");
        }

        if (options.Electors is < 1 or > 64)
        {
            errors.Add($"LeaderElection:Electors must be 1..64, not {options.Electors}.");
        }
        else if (options.ElectorId < 1 || options.ElectorId > options.Electors)
        {
            errors.Add($"LeaderElection:ElectorId must be 1..{options.Electors} (LeaderElection:Electors), not {options.ElectorId}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
