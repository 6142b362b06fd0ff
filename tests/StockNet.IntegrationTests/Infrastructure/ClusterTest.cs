namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// Base of test classes that share one <see cref="StockNetCluster"/>: joins the "Cluster" collection and
/// attaches the services' logs to the output of any test that failed.
/// </summary>
[Collection(ClusterCollection.Name)]
public abstract class ClusterTest<TCluster>(TCluster cluster) : IClassFixture<TCluster>, IDisposable
    where TCluster : StockNetCluster
{
    protected TCluster Cluster { get; } = cluster;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Cluster.WriteLogsIfTestFailed();
        GC.SuppressFinalize(this);
    }
}
