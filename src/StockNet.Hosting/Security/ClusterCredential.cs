using StockNet.Contracts.Security;

namespace StockNet.Hosting.Security;

/// <summary>What this service holds: the cluster key (null only when insecure and none was given), and whether unsigned requests are accepted.</summary>
public sealed class ClusterCredential(ClusterKey? key, bool insecure, TimeSpan window)
{
    public ClusterKey? Key { get; } = key;

    public bool Insecure { get; } = insecure;

    public TimeSpan Window { get; } = window;

    /// <summary>
    /// Finds the key: <c>Cluster:KeyFile</c>, then <see cref="ClusterKey.FileVariable"/>, then <c>Cluster:Key</c>,
    /// then <see cref="ClusterKey.Variable"/>. Without one, only an insecure service may start.
    /// </summary>
    public static ClusterCredential Resolve(ClusterSecurityOptions options, Func<string, string?> environment)
    {
        var key = ClusterKey.Find(
            options.KeyFile ?? environment(ClusterKey.FileVariable),
            options.Key ?? environment(ClusterKey.Variable));
        if (key is null && !options.Insecure)
        {
            throw new InvalidOperationException("No cluster key. " + ClusterKey.HowToGive);
        }

        if (options.SignatureWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Cluster:SignatureWindow must be positive.");
        }

        return new ClusterCredential(key, options.Insecure, options.SignatureWindow);
    }
}
