using StockNet.Cluster;
using StockNet.Contracts.Security;

namespace StockNet.Cli.Commands;

/// <summary>
/// Where <c>stocknet call</c> finds the cluster key: <c>--key-file</c>, else the key file of <c>--data-dir</c>, else the
/// environment as every service reads it (<see cref="ClusterKey.FileVariable"/>, then <see cref="ClusterKey.Variable"/>),
/// else the key file <c>stocknet up</c> wrote in its default data directory (<see cref="ClusterOptions.DefaultDataRoot"/>). The key itself is never printed.
/// </summary>
internal static class OperatorKey
{
    public static readonly string HowToGive =
        $"Give the cluster key with --key-file FILE, or --data-dir DIR (the data directory where 'stocknet up' wrote {ClusterKey.FileName}; "
        + $"default ./{ClusterOptions.DefaultDataRoot}), or in {ClusterKey.FileVariable} or {ClusterKey.Variable}, as the services take it.";

    /// <summary>The key, or null when none is given anywhere; a key file named but unusable throws <see cref="InvalidOperationException"/> saying why.</summary>
    public static ClusterKey? Find(string? keyFile, string? dataDir, Func<string, string?> environment, string defaultDataRoot)
    {
        if (keyFile is not null)
        {
            return ClusterKey.FromFile(keyFile);
        }

        if (dataDir is not null)
        {
            return ClusterKey.FromFile(Path.Combine(dataDir, ClusterKey.FileName));
        }

        if (ClusterKey.Find(environment(ClusterKey.FileVariable), environment(ClusterKey.Variable)) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        var defaultFile = Path.Combine(defaultDataRoot, ClusterKey.FileName);
        return File.Exists(defaultFile) ? ClusterKey.FromFile(defaultFile) : null;
    }
}
