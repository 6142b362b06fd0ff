namespace StockNet.Contracts;

/// <summary>
/// One process per piece of a data directory, across every Stock Net process of the machine. <c>stocknet up</c>
/// (and <c>stocknet chaos --data-dir</c>) hold <see cref="DataRootFileName"/> in their data root; the catalog and
/// each order replica hold the lock beside their store (<see cref="ForStore"/>: catalog.db.lock,
/// order_log_{id}.db.lock), so a second process on the same store is refused at start, and an <c>up</c> sees which
/// stores under its root a running service still holds. The lock is the operating system's (an exclusive flock,
/// which .NET takes for <see cref="FileShare.None"/>): it goes with its process however that ends, kill -9 included.
/// </summary>
public sealed class DataLock : IDisposable
{
    /// <summary>Every lock file ends so; an <c>up</c> waits for each one under its root (its own excepted).</summary>
    public const string Extension = ".lock";

    /// <summary>The data root's lock; wiping the root (--fresh) leaves it, since its holder is the one wiping.</summary>
    public const string DataRootFileName = "up" + Extension;

    // What .NET reports on Linux when flock(LOCK_EX | LOCK_NB) finds the file locked: EWOULDBLOCK's errno as HResult.
    private const int HeldElsewhere = 11;

    private readonly FileStream _file;

    private DataLock(FileStream file) => _file = file;

    /// <summary>The lock file of a store: its path with <see cref="Extension"/> added.</summary>
    public static string ForStore(string storeFile) => Path.GetFullPath(storeFile) + Extension;

    /// <summary>
    /// The lock (creating its file, and its directory), or null while another process holds it. A directory that
    /// cannot be written throws, as creating it would (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>).
    /// </summary>
    public static DataLock? TryAcquire(string lockFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockFile))!);
        try
        {
            return new DataLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex.HResult == HeldElsewhere)
        {
            return null;
        }
    }

    /// <summary>A service's lock on its store, taken before the store opens; refused with a sentence that says what to do.</summary>
    public static DataLock AcquireForStore(string storeFile) => TryAcquire(ForStore(storeFile)) ?? throw new IOException(
        $"{Path.GetFullPath(storeFile)} is in use by another process (a service on the same data directory, perhaps left "
        + $"running by a 'stocknet up' that was killed; {ForStore(storeFile)} is its lock): stop it, or give this one another --data-dir.");

    public void Dispose() => _file.Dispose();
}
