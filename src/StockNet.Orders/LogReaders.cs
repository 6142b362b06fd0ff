using System.Collections.Concurrent;

namespace StockNet.Orders;

/// <summary>
/// Read connections to the order log, lent one per read. In WAL mode readers never wait for the writer and
/// see every committed write. A few idle connections are kept with their prepared statements; a burst
/// beyond that opens more and closes them after use, so memory stays bounded by <see cref="MaxIdle"/>
/// page caches of <see cref="CacheKibibytes"/> each.
/// </summary>
internal sealed class LogReaders(string connectionString) : IDisposable
{
    public const int CacheKibibytes = 512;

    private static readonly int MaxIdle = Math.Max(2, Environment.ProcessorCount * 2);

    private readonly ConcurrentBag<LogConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public T Read<T>(Func<LogConnection, T> read)
    {
        var connection = Rent();
        try
        {
            return read(connection);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>A connection held by one caller until it disposes the lease (a streamed snapshot).</summary>
    public LeasedConnection Lease() => new(this, Rent());

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private LogConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return new LogConnection(connectionString, CacheKibibytes);
    }

    /// <summary>A rented connection; disposing it returns the connection to the pool.</summary>
    public sealed class LeasedConnection(LogReaders owner, LogConnection connection) : IDisposable
    {
        private int _returned;

        public LogConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                owner.Return(Connection);
            }
        }
    }

    private void Return(LogConnection connection)
    {
        if (!_disposed && Interlocked.Increment(ref _idleCount) <= MaxIdle)
        {
            _idle.Add(connection);
            return;
        }

        Interlocked.Decrement(ref _idleCount);
        connection.Dispose();
    }
}
