using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace StockNet.Catalog;

/// <summary>
/// Opens the store while the host starts, before Kestrel takes traffic. A store that cannot be opened or a
/// bad catalog file becomes an <see cref="IOException"/>, which the service runner turns into exit code 2.
/// </summary>
internal sealed class CatalogStoreLoader(CatalogStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            store.Open();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new IOException($"The catalog store {store.DatabasePath} could not be opened: {ex.Message}", ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
