namespace StockNet.Cluster;

/// <summary>
/// One <c>stocknet up</c> per data root. A second one (another terminal, the README's first command run again) would
/// wipe the running cluster's files with --fresh, write a new cluster key and read-only token over the ones its
/// services use, and start replicas with the same ids on the same logs. The lock is the operating system's (an
/// exclusive flock, which .NET takes for <see cref="FileShare.None"/>), so it goes with the process however it ends.
/// </summary>
public sealed class DataRootLock : IDisposable
{
    /// <summary>The lock file in the data root; wiping the root (--fresh) leaves it, since its holder is the one wiping.</summary>
    public const string FileName = "up.lock";

    private readonly FileStream _file;

    private DataRootLock(FileStream file) => _file = file;

    /// <summary>The data root's lock (creating the root), or null when another process holds it.</summary>
    public static DataRootLock? TryAcquire(string dataRoot)
    {
        Directory.CreateDirectory(dataRoot);
        try
        {
            return new DataRootLock(new FileStream(Path.Combine(dataRoot, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
