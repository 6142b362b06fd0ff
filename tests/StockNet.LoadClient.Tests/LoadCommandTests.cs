using Microsoft.Extensions.Time.Testing;

namespace StockNet.LoadClient.Tests;

public sealed class LoadCommandTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 25, 16, 30, 5, TimeSpan.Zero));

    [Fact]
    public void Bind_NoFlags_Defaults()
    {
        var (options, errors) = Bind();

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Null(options.Url);
        Assert.Equal(CacheMode.Both, options.Cache);
        Assert.Equal((5, 600, 5, 5), (options.Clients, options.Iterations, options.MaxQuantity, options.CacheSize));
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8], options.Probabilities);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.MaxThinkTime);
        Assert.Equal(TimeSpan.FromSeconds(120), options.Duration);
        Assert.Equal(LoadOptions.DefaultStocks, options.Stocks);
        Assert.Equal(Path.Combine("load-results", "20261125-163005"), options.OutputDirectory);
        Assert.True(options.ShowProgress);
    }

    [Fact]
    public void Bind_EveryFlag_Applied()
    {
        var (options, errors) = Bind(
            "--url", "http://127.0.0.1:9001", "--cache", "off", "--clients", "8", "--iterations", "10", "--p", "0.5,1",
            "--max-quantity", "2", "--think-ms", "0", "--seed", "42", "--duration", "3", "--timeout", "1.5",
            "--stocks", "GOOG,IBM", "--cache-size", "3", "--out", "/tmp/out", "--no-progress");

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(new Uri("http://127.0.0.1:9001"), options.Url);
        Assert.Equal(CacheMode.Off, options.Cache);
        Assert.Equal((8, 10, 2, 42, 3), (options.Clients, options.Iterations, options.MaxQuantity, options.Seed, options.CacheSize));
        Assert.Equal([0.5, 1], options.Probabilities);
        Assert.Equal(TimeSpan.Zero, options.MaxThinkTime);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Timeout);
        Assert.Equal(["GOOG", "IBM"], options.Stocks);
        Assert.Equal("/tmp/out", options.OutputDirectory);
        Assert.False(options.ShowProgress);
    }

    [Fact]
    public void Bind_UrlWithoutCache_CacheUnstated()
    {
        var (options, _) = Bind("--url", "http://127.0.0.1:9001");

        Assert.NotNull(options);
        Assert.Null(options.Cache);
        Assert.Equal([CacheSetting.Unknown], CacheSetting.For(options.Cache));
    }

    [Fact]
    public void Bind_SeveralBadValues_EveryErrorReported()
    {
        var (options, errors) = Bind("--url", "http://127.0.0.1:9001", "--cache", "both", "--clients", "0", "--p", "2", "--think-ms", "-1", "--stocks", "GO OG");

        Assert.Null(options);
        Assert.Equal(
            [
                "--p: 2 is not a probability from 0 to 1.",
                "--cache both needs the cluster this command starts itself; with --url, say --cache on or --cache off (the front-end's own setting).",
                "--clients must be at least 1, not 0.",
                "--think-ms must be 0 or more.",
                "--stocks: 'GO OG' is not a valid stock name.",
            ],
            errors);
    }

    [Fact]
    public void Bind_UnknownCacheMode_ParserErrorReported()
    {
        var (options, errors) = Bind("--cache", "maybe");

        Assert.Null(options);
        Assert.Single(errors);
    }

    [Fact]
    public void Bind_NotANumber_ParserErrorReported()
    {
        var (options, errors) = Bind("--clients", "many");

        Assert.Null(options);
        Assert.Single(errors);
    }

    private static (LoadOptions? Options, IReadOnlyList<string> Errors) Bind(params string[] args)
    {
        var command = LoadCommand.Create();
        return LoadCommand.Bind(command.Parse(args), Time);
    }
}
