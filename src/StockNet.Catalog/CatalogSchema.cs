namespace StockNet.Catalog;

/// <summary>The SQL of the catalog store, in one place.</summary>
internal static class CatalogSchema
{
    public const string FileName = "catalog.db";

    // WAL with synchronous=NORMAL: a commit is in the WAL file before the call returns, so it survives
    // kill -9 of the process (the OS still holds the write); only a power loss or OS crash may lose the
    // last commits. That is the durability the catalog needs at thousands of trades per second.
    public const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA busy_timeout = 5000;
        """;

    // The first step of CatalogMigrations; a later change of schema is a new step there, never an edit here.
    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS stocks (
            name     TEXT PRIMARY KEY NOT NULL,
            price    TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity >= 0),
            version  INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS trades (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT UNIQUE NULL,
            name            TEXT NOT NULL,
            type            TEXT NOT NULL,
            quantity        INTEGER NOT NULL,
            quantity_after  INTEGER NOT NULL,
            version         INTEGER NOT NULL,
            transaction_number INTEGER NULL
        );
        """;

    public const string CountStocks = "SELECT COUNT(*) FROM stocks;";

    public const string InsertStock = "INSERT INTO stocks (name, price, quantity, version) VALUES ($name, $price, $quantity, 0);";

    public const string SelectStocks = "SELECT name, price, quantity, version FROM stocks ORDER BY rowid;";

    public const string SelectTradeByKey = "SELECT name, quantity_after, version, transaction_number, type, quantity FROM trades WHERE idempotency_key = $key;";

    public const string UpdateStock = "UPDATE stocks SET quantity = $quantity, version = $version WHERE name = $name;";

    public const string InsertTrade = """
        INSERT INTO trades (idempotency_key, name, type, quantity, quantity_after, version, transaction_number)
        VALUES ($key, $name, $type, $quantity, $quantity_after, $version, $transaction_number);
        """;

    public const string SelectTradesAfter = """
        SELECT seq, idempotency_key, name, type, quantity, quantity_after, version, transaction_number
        FROM trades WHERE seq > $after ORDER BY seq LIMIT $limit;
        """;
}
