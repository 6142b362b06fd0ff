namespace StockNet.Security.Tests.Infrastructure;

/// <summary>Each test starts whole clusters in this process; one at a time keeps a 2-core machine usable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecurityCollection
{
    public const string Name = "Security";
}
