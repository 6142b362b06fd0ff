namespace StockNet.Catalog;

/// <summary>Placeholder until the service lands.</summary>
public static class CatalogApp
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) => Task.FromResult(args.Length + (cancellationToken.IsCancellationRequested ? 1 : 0));
}
