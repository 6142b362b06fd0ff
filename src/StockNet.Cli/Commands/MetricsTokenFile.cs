using System.Security.Cryptography;
using StockNet.Cluster;

namespace StockNet.Cli.Commands;

/// <summary>
/// The read-only token (Metrics:Token) that <c>stocknet up</c> gives every service, kept in
/// <c>{data root}/metrics.token</c> so scrape configurations and bookmarks survive a restart. It opens only
/// <c>/metrics</c>, <c>/status</c>, <c>/cache/contents</c> and the dashboard; it is never the cluster key.
/// </summary>
internal static class MetricsTokenFile
{
    public const string FileName = StockNet.Protocol.ReadOnlyToken.FileName;

    /// <summary>The token already in the data root, or a new one (always new when the root is about to be wiped).</summary>
    public static string LoadOrCreate(string dataRoot, bool fresh)
    {
        var path = PathIn(dataRoot);
        if (!fresh && File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        return Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>Writes the token, readable by its owner only.</summary>
    public static string Save(string dataRoot, string token)
    {
        var path = PathIn(dataRoot);
        Directory.CreateDirectory(dataRoot);
        File.WriteAllText(path, token + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>The token in <c>./data</c>, where <c>stocknet up</c> keeps it by default, or null.</summary>
    public static string? FromDefaultDataRoot()
    {
        var path = PathIn(ClusterOptions.DefaultDataRoot);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static string PathIn(string dataRoot) => Path.Combine(dataRoot, FileName);
}
