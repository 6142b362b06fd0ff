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

        var error = Assert.Throws<InvalidOperationException>(() => FreePorts.TakeOne(IPAddress.Loopback, new PortRange(held, 1), 0));

        Assert.Contains($"from {held} to {held}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TakeOne_ListenerOnTheStartPort_SkipsItRoundToTheLowest()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The walk starts at the held port, the range's last, and goes on round from the range's lowest.
        var range = new PortRange(held - 1, 2);

        var port = FreePorts.TakeOne(IPAddress.Loopback, range, 1);

        Assert.Equal(held - 1, port);
    }

    [Fact]
    public void TakeOne_FreeStartPort_TakesIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = ((IPEndPoint)listener.LocalEndpoint).Port;
        var range = new PortRange(held, 2);

        var port = FreePorts.TakeOne(IPAddress.Loopback, range, 1);

        Assert.Equal(held + 1, port);
    }

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
}
