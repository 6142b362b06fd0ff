namespace StockNet.Orders.Tests;

public sealed class OrderOptionsValidatorTests
{
    private static List<string> Errors(OrderOptions options) =>
        new OrderOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_WithReplicaId_Succeeds()
    {
        Assert.Empty(Errors(new OrderOptions { ReplicaId = 2 }));
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryOne()
    {
        var errors = Errors(new OrderOptions
        {
            ReplicaId = 0,
            Replicas = "http://127.0.0.1:1,ftp://x,http://127.0.0.1:3",
            CatalogUrl = "nowhere",
            ReplicationTimeout = TimeSpan.Zero,
            TotalReplicas = 5,
        });

        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Validate_IdNotInList_Fails()
    {
        var errors = Errors(new OrderOptions { ReplicaId = 4 });

        Assert.Equal(["Orders:ReplicaId 4 is not in Orders:Replicas."], errors);
    }

    [Fact]
    public void Validate_IdEqualsUrlItems_UsesGivenIds()
    {
        var options = new OrderOptions { ReplicaId = 7, Replicas = "5=http://127.0.0.1:1, 7=http://127.0.0.1:2/" };

        Assert.Empty(Errors(options));
        Assert.Equal([new ReplicaAddress(5, "http://127.0.0.1:1"), new ReplicaAddress(7, "http://127.0.0.1:2")], ReplicaList.Parse(options.Replicas, []));
    }

    [Fact]
    public void Resolve_NoUrls_ListensOnOwnUrlFromList()
    {
        Assert.Equal("http://127.0.0.1:8999", ListenAddress.Resolve(new OrderOptions { ReplicaId = 2 }, null, null));
        Assert.Equal("http://0.0.0.0:9000", ListenAddress.Resolve(new OrderOptions { ReplicaId = 3 }, "0.0.0.0", null));
    }

    [Fact]
    public async Task RunAsync_InvalidConfiguration_ExitCodeTwo()
    {
        using var dir = new Infrastructure.TempDirectory();

        var code = await OrdersApp.RunAsync(
            ["--urls", "http://127.0.0.1:0", "--Orders:ReplicaId=9", $"--Orders:DataDir={dir.Path}"], TestContext.Current.CancellationToken);

        Assert.Equal(2, code);
    }
}
