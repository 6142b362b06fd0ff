using System.Diagnostics;
using StockNet.Contracts;

namespace StockNet.Cluster;

/// <summary>
/// Claims a data root for one cluster before anything in it is wiped, written or started. The root's own lock
/// (<see cref="DataLock.DataRootFileName"/>) refuses a second <c>up</c> or chaos run at once. Then every other lock
/// under the root must be free: a service holds its store's lock while it runs, and the services of an <c>up</c>
/// killed with SIGKILL run on until their parent watch notices (within half a second) and they have stopped, while
/// a service started by hand runs until someone stops it. The claim waits for them a bounded time, then refuses.
/// </summary>
public static class DataRoot
{
    /// <summary>How long a claim waits for running services to let go of the stores under the root.</summary>
    public static readonly TimeSpan ServiceExitWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // The lock beside every store a service keeps (catalog.db, order_log_{id}.db): DataLock.ForStore of a database file.
    private const string StoreLockPattern = "*.db" + DataLock.Extension;

    /// <summary>
    /// The root's lock, held by the caller until it is done with the root; throws <see cref="DataRootRefusedException"/>
    /// (a sentence saying what to do) before creating anything when <paramref name="wipe"/> names a tree a typo
    /// could, before touching anything when the root is another's, and when it cannot be written. <paramref name="waiting"/>
    /// hears once that a service still holds a store, when the claim waits for it.
    /// </summary>
    public static async Task<DataLock> ClaimAsync(
        string dataRoot, bool wipe, TimeSpan serviceExitWait, CancellationToken cancellationToken, Action<string>? waiting = null)
    {
        var root = Path.GetFullPath(dataRoot);
        if (wipe)
        {
            RefuseForbiddenWipe(root);
        }

        var rootLock = Writable(root, () => DataLock.TryAcquire(Path.Combine(root, DataLock.DataRootFileName))) ?? throw new DataRootRefusedException(InUse(root));
        try
        {
            await WaitForServicesAsync(root, serviceExitWait, waiting, cancellationToken);
            return rootLock;
        }
        catch
        {
            rootLock.Dispose();
            throw;
        }
    }

    /// <summary>The refusal of a data root another <c>stocknet up</c> or chaos run holds.</summary>
    public static string InUse(string dataRoot) =>
        $"Another 'stocknet up' or chaos run is using {Path.GetFullPath(dataRoot)}: stop it (Ctrl+C in its terminal) before starting again, "
        + "or give this one another --data-dir.";

    /// <summary>The refusal of a data root under which a running service still holds a store.</summary>
    public static string StillInUse(string lockFile) =>
        $"{Path.GetDirectoryName(lockFile)} is still in use by a running service (it holds {lockFile}): a catalog or order replica of a "
        + $"'stocknet up' that was killed, or one started by hand. Stop it (kill its process), then start again, or give this one another --data-dir.";

    /// <summary>What a claim says once when it waits for a service that still holds a store under the root.</summary>
    public static string WaitingFor(string lockFile, TimeSpan serviceExitWait) =>
        $"{Path.GetDirectoryName(lockFile)} is still in use by a running service (perhaps one an earlier 'stocknet up' left, stopping now): "
        + $"waiting up to {serviceExitWait.TotalSeconds:0} s for it to stop.";

    /// <summary>The refusal of a data root this user cannot write (read-only, or a path under a file).</summary>
    public static string NotWritable(string root, Exception cause) =>
        $"Cannot write the data directory {root} ({cause.Message}): give --data-dir a directory this user can write.";

    /// <summary>--fresh deletes a whole tree: never the file system's root, the home directory or the working directory, or an ancestor of one.</summary>
    internal static void RefuseForbiddenWipe(string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        string[] forbidden =
        [
            Path.TrimEndingDirectorySeparator(Path.GetPathRoot(root) ?? "/"),
            Path.TrimEndingDirectorySeparator(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)),
            Path.TrimEndingDirectorySeparator(Environment.CurrentDirectory),
        ];
        // An ancestor of one of them (--data-dir .. --fresh) would delete it too.
        if (trimmed.Length == 0
            || forbidden.Any(path => path == trimmed || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            throw new DataRootRefusedException($"Refusing to wipe {root}: give --data-dir a directory of its own.");
        }
    }

    // Each store lock found at the start must be free; one still held at the deadline refuses the root. Only where a
    // cluster keeps its stores (the root and its service directories) and only a store's lock (a database file's): another
    // program's lock file deeper in the tree, or a root as wide as a home directory, is none of ours to wait for or take.
    private static async Task WaitForServicesAsync(string root, TimeSpan serviceExitWait, Action<string>? waiting, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var locks = Writable(root, () => Directory.EnumerateFiles(root, StoreLockPattern, options).ToList());
        var waited = Stopwatch.StartNew();
        foreach (var lockFile in locks)
        {
            DataLock? free;
            while ((free = Writable(root, () => DataLock.TryAcquire(lockFile))) is null)
            {
                if (waited.Elapsed >= serviceExitWait)
                {
                    throw new DataRootRefusedException(StillInUse(lockFile));
                }

                waiting?.Invoke(WaitingFor(lockFile, serviceExitWait));
                waiting = null;
                await Task.Delay(PollInterval, cancellationToken);
            }

            free.Dispose();
        }
    }

    private static T Writable<T>(string root, Func<T> touch)
    {
        try
        {
            return touch();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataRootRefusedException(NotWritable(root, ex), ex);
        }
    }
}

/// <summary>A data root that may not be used now, with a sentence saying why and what to do.</summary>
public sealed class DataRootRefusedException : InvalidOperationException
{
    public DataRootRefusedException(string message)
        : base(message)
    {
    }

    public DataRootRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
