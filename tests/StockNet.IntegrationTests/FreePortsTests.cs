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
        var (low, listener) = HoldOneOfTwoAdjacent(holdLow: false);
        using (listener)
        {
            // The walk starts at the held port, the range's last, and goes on round from the range's lowest.
            var port = FreePorts.TakeOne(IPAddress.Loopback, new PortRange(low, 2), 1);

            Assert.Equal(low, port);
        }
    }

    [Fact]
    public void TakeOne_FreeStartPort_TakesIt()
    {
        var (low, listener) = HoldOneOfTwoAdjacent(holdLow: true);
        using (listener)
        {
            var port = FreePorts.TakeOne(IPAddress.Loopback, new PortRange(low, 2), 1);

            Assert.Equal(low + 1, port);
        }
    }

    [Fact]
    public async Task RefusingPort_Held_ConnectionsRefusedAndNoListenerCanBindIt()
    {
        using var port = RefusingPort.Hold();
        using var client = new TcpClient();

        var refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync(IPAddress.Loopback, port.Port, TestContext.Current.CancellationToken));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        // Nor can a service told to listen there take it meanwhile, even one that asks for SO_REUSEADDR.
        foreach (var reuseAddress in new[] { false, true })
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, reuseAddress);
            var taken = Assert.Throws<SocketException>(() => listener.Bind(new IPEndPoint(IPAddress.Loopback, port.Port)));
            Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);
        }
    }

    // Two neighbouring ports below the ephemeral range, one held by a listener, the other free. Not a port-0 listener
    // and its neighbour: that neighbour is in the ephemeral range, where any outgoing connection may be using it.
    private static (int Low, TcpListener Held) HoldOneOfTwoAdjacent(bool holdLow)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var low = FreePorts.Take("127.0.0.1", 1)[0];
            var held = new TcpListener(IPAddress.Loopback, holdLow ? low : low + 1);
            var other = new TcpListener(IPAddress.Loopback, holdLow ? low + 1 : low);
            try
            {
                held.Start();
                other.Start();
                other.Stop();
                return (low, held);
            }
            catch (SocketException)
            {
                held.Stop();
                other.Stop();
            }
        }

        throw new InvalidOperationException("No two free neighbouring ports below the ephemeral range in 50 tries.");
    }

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
}
