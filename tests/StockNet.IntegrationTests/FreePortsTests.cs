using System.Net;
using System.Net.Sockets;
using StockNet.Cluster;
using PortRange = StockNet.Cluster.FreePorts.PortRange;

namespace StockNet.IntegrationTests;

/// <summary>Free ports come from below the kernel's ephemeral range and are checked free by binding them.</summary>
public sealed class FreePortsTests
{
    [Theory]
    [InlineData("32768\t60999\n", 20_000, 12_768)]
    [InlineData("40000 50000", 20_000, 20_000)]
    [InlineData("10000\t60999\n", 61_000, 4_536)]
    [InlineData("1024\t5000\n", 20_000, 45_536)]
    [InlineData("1024\t65535\n", 20_000, 45_536)]
    [InlineData(null, 20_000, 12_768)]
    [InlineData("", 20_000, 12_768)]
    [InlineData("60999 32768", 20_000, 12_768)]
    [InlineData("32768", 20_000, 12_768)]
    public void OutsideEphemeral_KernelRange_PortsBelowItElseAboveIt(string? ephemeralRange, int lowest, int count)
    {
        Assert.Equal(new PortRange(lowest, count), PortRange.OutsideEphemeral(ephemeralRange));
    }

    [Fact]
    public void Take_ThisKernel_DistinctPortsOutsideItsEphemeralRange()
    {
        var range = PortRange.OutsideEphemeral(File.Exists(EphemeralRangeFile) ? File.ReadAllText(EphemeralRangeFile) : null);

        var ports = FreePorts.Take(FreePorts.Loopback, 200);

        Assert.Equal(200, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, range.Lowest, range.Lowest + range.Count - 1));
    }

    [Fact]
    public void TakeOne_OnlyPortHasAListener_Refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = ((IPEndPoint)listener.LocalEndpoint).Port;
        var cursor = 0;

        var error = Assert.Throws<InvalidOperationException>(() => FreePorts.TakeOne(IPAddress.Loopback, new PortRange(held, 1), ref cursor));

        Assert.Contains($"from {held} to {held}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TakeOne_ListenerOnTheNextPort_SkipsIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The cursor's next port is the held one, then the one after it (or, at the top, the one before it).
        var range = held < 65_535 ? new PortRange(held, 2) : new PortRange(held - 1, 2);
        var cursor = held - range.Lowest - 1;

        var port = FreePorts.TakeOne(IPAddress.Loopback, range, ref cursor);

        Assert.NotEqual(held, port);
        Assert.InRange(port, range.Lowest, range.Lowest + 1);
    }

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
}
