using System.Collections.Frozen;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StockNet.Catalog.Invalidation;
using StockNet.Contracts;

namespace StockNet.Catalog;

/// <summary>
/// The catalog's durable state: SQLite holds the stocks and a journal of every committed trade; an
/// in-memory copy of the quotes serves lookups without touching SQLite or taking a lock.
/// Guarantee: trades are decided by a single writer inside SQLite transactions, so no buy ever oversells,
/// a refused or failed trade changes nothing, and memory changes only after the commit.
/// </summary>
internal sealed partial class CatalogStore : IDisposable
{
    private readonly CatalogOptions _options;
    private readonly InvalidationQueue _invalidations;
    private readonly ILogger<CatalogStore> _logger;
    private FrozenDictionary<string, QuoteSlot> _quotes = FrozenDictionary<string, QuoteSlot>.Empty;
    private QuoteSlot[] _orderedQuotes = [];
    private SqliteConnection? _writer;
    private DataLock? _dataLock;
    private string _connectionString = "";

    public CatalogStore(IOptions<CatalogOptions> options, InvalidationQueue invalidations, ILogger<CatalogStore> logger)
    {
        _options = options.Value;
        _invalidations = invalidations;
        _logger = logger;
    }

    /// <summary>True once the store is open and its quotes are in memory.</summary>
    public bool IsLoaded => _writer is not null;

    public string DatabasePath => Path.GetFullPath(Path.Combine(_options.DataDir, CatalogSchema.FileName));

    /// <summary>
    /// Opens (or creates and seeds) the database and loads the quotes into memory, holding the store's lock first:
    /// a second catalog on the same directory is refused with an <see cref="IOException"/> that says so.
    /// </summary>
    public void Open()
    {
        _dataLock = DataLock.AcquireForStore(DatabasePath);
        try
        {
            OpenDatabase();
        }
        catch
        {
            _dataLock.Dispose();
            _dataLock = null;
            throw;
        }
    }

    /// <summary>Lock-free lookup of the current quote.</summary>
    public bool TryGetQuote(string name, out StockQuote quote)
    {
        if (_quotes.TryGetValue(name, out var slot))
        {
            quote = slot.Quote;
            return true;
        }

        quote = null!;
        return false;
    }

    /// <summary>Every quote, in the order the store holds them.</summary>
    public StockQuote[] GetQuotes()
    {
        var slots = _orderedQuotes;
        var quotes = new StockQuote[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            quotes[i] = slots[i].Quote;
        }

        return quotes;
    }

    public void Dispose()
    {
        // Trades already queued are still decided before the connection closes.
        StopWriterLoopAsync().GetAwaiter().GetResult();
        DisposeWriteCommands();
        _writer?.Dispose();
        _dataLock?.Dispose();
    }

    private void OpenDatabase()
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var connection = OpenConnection();
        try
        {
            var created = EnsureSeeded(connection);
            LoadQuotes(connection);
            InitializeWriteCommands(connection);
            _writer = connection;
            StartWriterLoop(connection);
            Log.StoreOpened(_logger, DatabasePath, _orderedQuotes.Length, created);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = CatalogSchema.Pragmas;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    // Brings the schema up to date and, for a new store only, imports the CSV or the defaults, all in one transaction.
    private bool EnsureSeeded(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        CatalogMigrations.Apply(connection, transaction);

        using var count = Command(connection, transaction, CatalogSchema.CountStocks);
        var created = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
        if (created)
        {
            Seed(connection, transaction);
        }

        // Committed for an existing store too: its migration steps are part of this transaction.
        transaction.Commit();
        return created;
    }

    private void Seed(SqliteConnection connection, SqliteTransaction transaction)
    {
        var stocks = _options.CatalogFile is { } file ? CatalogSeed.ReadCsv(file) : CatalogSeed.Defaults;
        using var insert = Command(connection, transaction, CatalogSchema.InsertStock);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var price = insert.Parameters.Add("$price", SqliteType.Text);
        var quantity = insert.Parameters.Add("$quantity", SqliteType.Integer);
        foreach (var stock in stocks)
        {
            (name.Value, price.Value, quantity.Value) = (stock.Name, stock.Price, stock.Quantity);
            insert.ExecuteNonQuery();
        }
    }

    private void LoadQuotes(SqliteConnection connection)
    {
        using var select = Command(connection, null, CatalogSchema.SelectStocks);
        using var reader = select.ExecuteReader();
        var slots = new List<QuoteSlot>();
        while (reader.Read())
        {
            slots.Add(new QuoteSlot(new StockQuote(reader.GetString(0), reader.GetDecimal(1), reader.GetInt64(2), reader.GetInt64(3))));
        }

        _orderedQuotes = [.. slots];
        _quotes = slots.ToFrozenDictionary(slot => slot.Quote.Name, StringComparer.Ordinal);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
