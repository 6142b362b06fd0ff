using StockNet.Protocol;

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
    public void Validate_NegativeDuration_NamesItsKey()
    {
        var errors = Errors(new OrderOptions { ReplicaId = 2, QuorumTimeout = TimeSpan.FromSeconds(-1) });

        Assert.Equal(["Orders:QuorumTimeout must be a positive duration, not -00:00:01."], errors);
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
        Assert.Equal([new ReplicaAddress(5, "http://127.0.0.1:1"), new ReplicaAddress(7, "http://127.0.0.1:2")], ReplicaList.Parse(options.Replicas, "Orders:Replicas", []));
    }

    [Fact]
    public void Resolve_NoUrls_ListensOnOwnUrlFromList()
    {
        Assert.Equal("http://127.0.0.1:8999", ListenAddress.Resolve(new OrderOptions { ReplicaId = 2 }, null, null));
        Assert.Equal("http://0.0.0.0:9000", ListenAddress.Resolve(new OrderOptions { ReplicaId = 3 }, "0.0.0.0", null));
    }

    [Fact]
    public void Resolve_HostOnly_KeepsThePortOfOwnUrl()
    {
        var options = new OrderOptions { ReplicaId = 2, Replicas = "http://order-service-1:7001,http://order-service-2:7002" };

        Assert.Equal("http://0.0.0.0:7002", ListenAddress.Resolve(options, "0.0.0.0", null));
    }

    [Fact]
    public void Validate_ContainerNames_Succeeds()
    {
        Assert.Empty(Errors(new OrderOptions { ReplicaId = 1, Replicas = "http://order-service-1:8998,http://order-service-2:8999,http://order-service-3:9000" }));
    }

    [Fact]
    public void Validate_LoopbackSpelledTwoWays_Fails()
    {
        var errors = Errors(new OrderOptions { ReplicaId = 1, Replicas = "http://127.0.0.1:8998,http://localhost:8999" });

        Assert.Equal(["Orders:Replicas spells this machine 127.0.0.1 and localhost: spell each host one way in every list, because replicas recognise each other by URL."], errors);
    }

    [Fact]
    public void Validate_LoopbackMixedWithOtherHosts_Fails()
    {
        var errors = Errors(new OrderOptions { ReplicaId = 1, Replicas = "http://127.0.0.1:8998,http://order-service-2:8999" });

        Assert.Equal(
            ["Orders:Replicas mixes 127.0.0.1 with order-service-2: on a network of hosts or containers 127.0.0.1 names each service itself, so give every replica an address its peers reach."],
            errors);
    }

    [Fact]
    public void Validate_SameAddressTwice_Fails()
    {
        var errors = Errors(new OrderOptions { ReplicaId = 1, Replicas = "http://order-service-1:8998,http://ORDER-SERVICE-1:8998/" });

        Assert.Equal(["Orders:Replicas names order-service-1:8998 2 times: each replica needs an address of its own."], errors);
    }

    [Fact]
    public void Aliases_OrderServiceUrls_AreTheReplicaList()
    {
        var builder = new Microsoft.Extensions.Configuration.ConfigurationBuilder();

        OrdersApp.Aliases().AddTo(builder, name => name == "ORDER_SERVICE_URLS" ? "http://a:1,http://b:2" : null);

        Assert.Equal("http://a:1,http://b:2", builder.Build()["Orders:Replicas"]);
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
