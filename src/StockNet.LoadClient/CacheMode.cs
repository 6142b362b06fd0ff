namespace StockNet.LoadClient;

/// <summary>Which front-end cache settings a load run covers: <c>both</c> runs the sweep with the cache on, then off.</summary>
public enum CacheMode
{
    On,
    Off,
    Both,
}

/// <summary>One target of a sweep: a label for reports and, for a cluster this command starts, whether its cache is on.</summary>
public sealed record CacheSetting(string Label, bool? Enabled)
{
    public static readonly CacheSetting On = new("on", true);
    public static readonly CacheSetting Off = new("off", false);

    /// <summary>A front-end given by URL whose cache setting was not stated.</summary>
    public static readonly CacheSetting Unknown = new("url", null);

    public static IReadOnlyList<CacheSetting> For(CacheMode? mode) => mode switch
    {
        CacheMode.On => [On],
        CacheMode.Off => [Off],
        CacheMode.Both => [On, Off],
        _ => [Unknown],
    };
}
