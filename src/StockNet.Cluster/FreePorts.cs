using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StockNet.Cluster;

/// <summary>
/// Finds free ports for services to listen on, below the kernel's ephemeral range (Linux's
/// <c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768-60999 by default). A port the kernel hands out for port 0 comes
/// from that range, and between the probe and the service's own bind any outgoing connection on the machine may take it as
/// its source port: in CI the test suites run side by side and open connections by the thousand, and services failed to
/// start with "address already in use". Below the range only a listener takes a port, and the probe binds each port to
/// check that none does. The probe releases the port before the service binds it, so whoever starts services starts them
/// again on new ports when one is taken in between (<see cref="PortRace"/>). Every service, test and tool that needs a
/// port to hand to a process before it starts takes it here; a server that can be told port 0 itself needs none.
/// </summary>
public static class FreePorts
{
    public const string Loopback = "127.0.0.1";

    /// <summary>
    /// Ports under this hold the well-known and registered services, the contract's own defaults (8997-9001) among them,
    /// which a cluster restarting beside us may be about to bind again.
    /// </summary>
    internal const int Floor = 20_000;

    private const int HighestPort = 65_535;

    // The Linux default, for a kernel without the file (macOS and Windows start theirs higher still, at 49152).
    private const int DefaultEphemeralStart = 32_768;
    private const int DefaultEphemeralEnd = 60_999;

    // How many of the ports it handed out lately a process will not hand out again (at most half the range).
    private const int RecentCapacity = 4_096;

    private static readonly PortRange Range = PortRange.OutsideEphemeral(ReadEphemeralRange());

    // Each port is looked for from a random point of the range, not by walking on from the last one: test suites run side
    // by side in separate processes, and two walks that happened to start near each other would sweep through each other's
    // ports, taking one in the moment between another process's probe and its service's bind, or while a killed service
    // waits to be restarted on it (a CI run failed a test so). The ports this process handed out lately are remembered, so it
    // never gives the same port to two of its own parallel tests.
    private static readonly Lock RecentGate = new();
    private static readonly Queue<int> RecentOrder = new();
    private static readonly HashSet<int> Recent = [];

    /// <summary><paramref name="count"/> distinct ports on which nothing listened on <paramref name="host"/> a moment ago.</summary>
    public static IReadOnlyList<int> Take(string host, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Range.Count);
        var address = IPAddress.Parse(host);
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            ports[i] = TakeUnclaimed(address);
        }

        return ports;
    }

    /// <summary>A loopback base URL, <c>http://127.0.0.1:port</c>, on a port on which nothing listened a moment ago.</summary>
    public static string LoopbackUrl() => string.Create(CultureInfo.InvariantCulture, $"http://{Loopback}:{Take(Loopback, 1)[0]}");

    private static int TakeUnclaimed(IPAddress address)
    {
        for (var attempt = 0; attempt < Range.Count; attempt++)
        {
            var port = TakeOne(address, Range, Random.Shared.Next(Range.Count));
            if (Claim(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port on {address} that this process did not hand out lately.");
    }

    // True for a port this process has not handed out among its last RecentCapacity.
    private static bool Claim(int port)
    {
        lock (RecentGate)
        {
            if (!Recent.Add(port))
            {
                return false;
            }

            RecentOrder.Enqueue(port);
            if (RecentOrder.Count > Math.Min(RecentCapacity, Range.Count / 2))
            {
                Recent.Remove(RecentOrder.Dequeue());
            }

            return true;
        }
    }

    /// <summary>
    /// The first port that nothing listens on, walking <paramref name="range"/> from its <paramref name="offset"/>-th port
    /// (0 is its lowest) up, and round from its lowest.
    /// </summary>
    internal static int TakeOne(IPAddress address, PortRange range, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, range.Count);
        for (var step = 0; step < range.Count; step++)
        {
            var port = range.Lowest + ((offset + step) % range.Count);
            if (IsFree(address, port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port on {address} from {range.Lowest} to {range.Lowest + range.Count - 1}.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? ReadEphemeralRange()
    {
        try
        {
            return File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><see cref="Count"/> ports from <see cref="Lowest"/> up.</summary>
    internal readonly record struct PortRange(int Lowest, int Count)
    {
        /// <summary>
        /// The ports from <see cref="Floor"/> up to the ephemeral range given as the kernel's file reads it ("32768\t60999"),
        /// or the ports above that range when it starts at <see cref="Floor"/> or lower; a range that is missing or unreadable
        /// counts as Linux's default.
        /// </summary>
        public static PortRange OutsideEphemeral(string? ephemeralRange)
        {
            var (start, end) = Parse(ephemeralRange) ?? (DefaultEphemeralStart, DefaultEphemeralEnd);
            if (start > Floor)
            {
                return new PortRange(Floor, start - Floor);
            }

            // Above the range then; a kernel that made every port ephemeral leaves no place it will not pick, and the probe is all
            // we have.
            var lowest = Math.Max(end + 1, Floor);
            return lowest <= HighestPort ? new PortRange(lowest, HighestPort - lowest + 1) : new PortRange(Floor, HighestPort - Floor + 1);
        }

        private static (int Start, int End)? Parse(string? text)
        {
            var fields = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
            return fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && start <= end && end <= HighestPort
                ? (start, end)
                : null;
        }
    }
}
