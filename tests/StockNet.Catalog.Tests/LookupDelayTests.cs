using StockNet.Catalog.FaultInjection;
using StockNet.Catalog.Tests.Infrastructure;

namespace StockNet.Catalog.Tests;

/// <summary>The test-only <c>Catalog:Testing:LookupDelay</c> hook: off by default, and with it a lookup still answers the quote it read.</summary>
public sealed class LookupDelayTests
{
    [Fact]
    public async Task GetQuote_LookupDelaySet_AnswersTheQuoteItRead()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await CatalogHost.StartAsync(cancellationToken, extra: ["--Catalog:Testing:LookupDelay=00:00:00.050"]);

        var quote = await host.GetQuoteAsync("GOOG", cancellationToken);

        Assert.Equal(("GOOG", 100L, 0L), (quote.Name, quote.Quantity, quote.Version));
    }

    [Fact]
    public async Task RunAsync_NegativeLookupDelay_ReturnsExitCode2()
    {
        using var directory = new TempDirectory();

        var exitCode = await CatalogApp.RunAsync(
            ["--urls", "http://127.0.0.1:0", $"--Catalog:DataDir={directory.Path}", "--Catalog:Testing:LookupDelay=-00:00:01"],
            TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
    }

    [Fact]
    public void LookupDelay_Default_Zero() => Assert.Equal(TimeSpan.Zero, new CatalogTestingOptions().LookupDelay);
}
