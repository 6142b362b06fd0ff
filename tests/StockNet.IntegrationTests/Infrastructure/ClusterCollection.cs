namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// Every class that starts a cluster joins this collection: five service processes per cluster are all
/// a 2-core machine can run, so cluster tests run one class at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}
