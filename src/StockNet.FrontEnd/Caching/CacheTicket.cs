namespace StockNet.FrontEnd.Caching;

/// <summary>Taken before a lookup asks the catalog; a put with it is refused if the name was invalidated since.</summary>
public readonly record struct CacheTicket(string Name, long Generation);
