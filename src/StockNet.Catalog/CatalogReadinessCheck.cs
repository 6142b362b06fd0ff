using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StockNet.Catalog;

/// <summary>The catalog is ready once its store is open and its quotes are in memory.</summary>
internal sealed class CatalogReadinessCheck(CatalogStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.IsLoaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The catalog store is not loaded yet."));
}
