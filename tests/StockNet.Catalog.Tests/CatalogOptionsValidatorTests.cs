namespace StockNet.Catalog.Tests;

public sealed class CatalogOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new CatalogOptionsValidator().Validate(null, new CatalogOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001,http://127.0.0.1:9002", true)]
    [InlineData("http://a:1, http://b:2 ,", true)]
    [InlineData("http://a:1,ftp://b:2", false)]
    [InlineData(" , ", false)]
    public void Validate_FrontEndList_EveryEntryMustBeHttp(string frontEnds, bool valid)
    {
        var result = new CatalogOptionsValidator().Validate(null, new CatalogOptions { FrontEndUrl = frontEnds });

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryError()
    {
        var options = new CatalogOptions
        {
            DataDir = " ",
            FrontEndUrl = "not a url",
            CatalogFile = "",
            InvalidationTimeout = TimeSpan.Zero,
            InvalidationAttempts = 0,
        };

        var result = new CatalogOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
    }

    [Fact]
    public async Task RunAsync_InvalidOptions_ReturnsExitCode2()
    {
        var exitCode = await CatalogApp.RunAsync(
            ["--urls", "http://127.0.0.1:0", "--Catalog:InvalidationAttempts=0"], TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
    }
}
