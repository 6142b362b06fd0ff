using StockNet.Protocol;

namespace StockNet.Protocol.Tests;

public sealed class ReplicaListTests
{
    private const string Setting = "Orders:Replicas";

    [Fact]
    public void Parse_Urls_IdsArePositions()
    {
        var errors = new List<string>();

        var replicas = ReplicaList.Parse("http://127.0.0.1:1, http://127.0.0.1:2/ ,http://127.0.0.1:3", Setting, errors);

        Assert.Empty(errors);
        Assert.Equal(
            [new ReplicaAddress(1, "http://127.0.0.1:1"), new ReplicaAddress(2, "http://127.0.0.1:2"), new ReplicaAddress(3, "http://127.0.0.1:3")],
            replicas);
    }

    [Fact]
    public void Parse_IdEqualsUrl_UsesGivenIds()
    {
        var errors = new List<string>();

        var replicas = ReplicaList.Parse("5=http://127.0.0.1:1, 7 = http://127.0.0.1:2/", Setting, errors);

        Assert.Empty(errors);
        Assert.Equal([new ReplicaAddress(5, "http://127.0.0.1:1"), new ReplicaAddress(7, "http://127.0.0.1:2")], replicas);
    }

    [Fact]
    public void Parse_EmptyItem_IsAnErrorNotSkipped()
    {
        // Skipping it would give the third URL id 2, and the replicas and the front-end would disagree on ids.
        var errors = new List<string>();

        ReplicaList.Parse("http://127.0.0.1:1,,http://127.0.0.1:3", Setting, errors);

        Assert.Equal(["Orders:Replicas item 2 is empty."], errors);
    }

    [Theory]
    [InlineData("", "Orders:Replicas must name at least one order replica.")]
    [InlineData("ftp://x", "Orders:Replicas item 1 ('ftp://x') is not an absolute http(s) URL.")]
    [InlineData("http://a:1#top", "Orders:Replicas item 1 ('http://a:1#top') is not an absolute http(s) URL.")]
    [InlineData("0=http://a:1", "Orders:Replicas item 1 ('0=http://a:1') has no positive replica id before '='.")]
    [InlineData("1=http://a:1,1=http://a:2", "Orders:Replicas names replica id 1 more than once.")]
    public void Parse_BadList_SaysWhy(string text, string error)
    {
        var errors = new List<string>();

        ReplicaList.Parse(text, Setting, errors);

        Assert.Equal([error], errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEach()
    {
        var errors = new List<string>();

        ReplicaList.Parse("nope,,x=http://a:1", "FrontEnd:OrderReplicas", errors);

        Assert.Equal(3, errors.Count);
        Assert.All(errors, error => Assert.StartsWith("FrontEnd:OrderReplicas item ", error, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ContainerNames_NoErrors()
    {
        var errors = new List<string>();

        var replicas = ReplicaList.Parse("http://order-service-1:8998,http://order-service-2:8999/", "FrontEnd:OrderReplicas", errors);

        Assert.Empty(errors);
        Assert.Equal([new ReplicaAddress(1, "http://order-service-1:8998"), new ReplicaAddress(2, "http://order-service-2:8999")], replicas);
    }

    [Fact]
    public void Parse_LoopbackSpelledTwoWaysAndMixed_ReportsBoth()
    {
        var errors = new List<string>();

        ReplicaList.Parse("http://localhost:8998,http://[::1]:8999,http://order-service-3:9000", "FrontEnd:OrderReplicas", errors);

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

        ReplicaList.Parse("http://127.0.0.1:8998,http://127.0.0.1:8998", "FrontEnd:OrderReplicas", errors);

        Assert.Equal(["FrontEnd:OrderReplicas names 127.0.0.1:8998 2 times: each replica needs an address of its own."], errors);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8998", "http://127.0.0.1:8998/", true)]
    [InlineData("HTTP://LOCALHOST:8998", "http://localhost:8998", true)]
    [InlineData("http://127.0.0.1:8998", "http://127.0.0.1:8999", false)]
    [InlineData(null, "http://127.0.0.1:8999", false)]
    public void SameReplica_ComparesSchemeHostAndPort(string? a, string? b, bool same) =>
        Assert.Equal(same, ReplicaList.SameReplica(a, b));
}
