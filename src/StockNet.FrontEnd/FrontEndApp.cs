namespace StockNet.FrontEnd;

/// <summary>Placeholder until the service lands.</summary>
public static class FrontEndApp
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) => Task.FromResult(args.Length + (cancellationToken.IsCancellationRequested ? 1 : 0));
}
