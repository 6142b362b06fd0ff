using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Tests.Leadership;

public sealed class ReplicaListTests
{
    [Fact]
    public void Parse_ContainerNames_NoErrors()
    {
        var errors = new List<string>();

        var replicas = ReplicaList.Parse("http://order-service-1:8998,http://order-service-2:8999/", errors);

        Assert.Empty(errors);
        Assert.Equal([new ReplicaEndpoint(1, "http://order-service-1:8998"), new ReplicaEndpoint(2, "http://order-service-2:8999")], replicas);
    }

    [Fact]
    public void Parse_LoopbackSpelledTwoWaysAndMixed_ReportsBoth()
    {
        var errors = new List<string>();

        ReplicaList.Parse("http://localhost:8998,http://[::1]:8999,http://order-service-3:9000", errors);

        Assert.Equal(
            [
                "FrontEnd:OrderReplicas spells this machine localhost and [::1]: spell each host one way in every list, because replicas recognise each other by URL.",
                "FrontEnd:OrderReplicas mixes localhost with order-service-3: on a network of hosts or containers localhost names each service itself, so give every replica an address its peers reach.",
            ],
            errors);
    }

    [Fact]
    public void Parse_OneAddressTwice_Fails()
    {
        var errors = new List<string>();

        ReplicaList.Parse("http://127.0.0.1:8998,http://127.0.0.1:8998", errors);

        Assert.Equal(["FrontEnd:OrderReplicas names 127.0.0.1:8998 2 times: each replica needs an address of its own."], errors);
    }
}
