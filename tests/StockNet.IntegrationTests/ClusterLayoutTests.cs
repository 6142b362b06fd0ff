using StockNet.Cluster;
using StockNet.Contracts;

namespace StockNet.IntegrationTests;

/// <summary>The arguments the launcher gives each child; no process is started.</summary>
public sealed class ClusterLayoutTests
{
    private static readonly ClusterOptions Defaults = new() { DataRoot = "/tmp/sn-layout", CacheCapacity = 7, Replication = ReplicationMode.Async };

    [Fact]
    public void Create_DefaultPorts_ContractPortsAndDataDirectories()
    {
        var layout = ClusterLayout.Create(Defaults);

        Assert.Equal(
            ["catalog http://127.0.0.1:8997/ /tmp/sn-layout/catalog", "order-1 http://127.0.0.1:8998/ /tmp/sn-layout/order-1",
             "order-2 http://127.0.0.1:8999/ /tmp/sn-layout/order-2", "order-3 http://127.0.0.1:9000/ /tmp/sn-layout/order-3",
             "frontend http://127.0.0.1:9001/ /tmp/sn-layout/frontend"],
            layout.Nodes.Select(node => $"{node.Name} {node.BaseUrl} {node.DataDir}"));
    }

    [Fact]
    public void ArgumentsFor_Replica2_OrderCommandWithPeersAndParent()
    {
        var layout = ClusterLayout.Create(Defaults);

        var arguments = layout.ArgumentsFor(layout.Replicas[1], parentPid: 42);

        Assert.Equal(
            ["order", "--id", "2", "--host", "127.0.0.1", "--port", "8999", "--data-dir", "/tmp/sn-layout/order-2",
             "--catalog-url", "http://127.0.0.1:8997", "--replicas", "http://127.0.0.1:8998,http://127.0.0.1:8999,http://127.0.0.1:9000",
             "--replication", "async", "--parent-pid", "42"],
            arguments);
    }

    [Fact]
    public void ArgumentsFor_FrontEndWithTtl_CacheFlagsAndTtl()
    {
        var layout = ClusterLayout.Create(new ClusterOptions { DataRoot = "/tmp/sn-layout", CacheEnabled = false, CacheTtl = TimeSpan.FromSeconds(2) });

        var arguments = layout.ArgumentsFor(layout.FrontEnd, parentPid: 7);

        Assert.Equal(
            ["frontend", "--host", "127.0.0.1", "--port", "9001", "--catalog-url", "http://127.0.0.1:8997",
             "--order-urls", "http://127.0.0.1:8998,http://127.0.0.1:8999,http://127.0.0.1:9000",
             "--cache", "off", "--cache-size", "5", "--cache-ttl", "2", "--parent-pid", "7"],
            arguments);
    }

    [Fact]
    public void Create_FreePorts_FiveDistinctPorts()
    {
        var layout = ClusterLayout.Create(new ClusterOptions { UseFreePorts = true });

        Assert.Equal(5, layout.Nodes.Select(node => node.Port).Distinct().Count());
    }
}
