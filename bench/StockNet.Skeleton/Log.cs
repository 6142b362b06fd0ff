using Microsoft.Data.Sqlite;

namespace StockNet.Skeleton;

/// <summary>One SQLite commit per call, with the services' settings (WAL, synchronous=NORMAL, a prepared insert).</summary>
internal sealed class Log : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _insert;

    private Log(string path)
    {
        _db = new SqliteConnection($"Data Source={path};Pooling=false");
        _db.Open();
        using (var setup = _db.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE IF NOT EXISTS log (n INTEGER PRIMARY KEY, body BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        _insert = _db.CreateCommand();
        _insert.CommandText = "INSERT INTO log (body) VALUES ($body)";
        _insert.Parameters.Add("$body", SqliteType.Blob);
        _insert.Prepare();
    }

    public static Log? OpenOrNull(string? path) => path is null ? null : new Log(path);

    public void Append(byte[] body)
    {
        lock (_gate)
        {
            using var transaction = _db.BeginTransaction();
            _insert.Transaction = transaction;
            _insert.Parameters[0].Value = body;
            _insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _db.Dispose();
    }
}
