using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace StockNet.Cluster;

/// <summary>
/// A loopback port on which connections are refused for as long as it is held: a socket bound to it that never listens.
/// A test that needs a service that is down points at its <see cref="Url"/>. A port taken from <see cref="FreePorts"/>
/// and let go would not do: between the probe and the test's first connection another process (a parallel suite's
/// service) may bind it, and the test would reach that service instead of being refused.
/// </summary>
public sealed partial class RefusingPort : IDisposable
{
    private const int AddressInUse = 98;

    private readonly Socket _socket;

    private RefusingPort(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://{FreePorts.Loopback}:{Port}");

    /// <summary>Holds a port from <see cref="FreePorts"/> (below the ephemeral range), trying another while one is taken.</summary>
    public static RefusingPort Hold()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = FreePorts.Take(FreePorts.Loopback, 1)[0];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (TryBind(socket, port))
            {
                return new RefusingPort(socket, port);
            }

            socket.Dispose();
        }

        throw new InvalidOperationException("No free port to hold below the ephemeral range in 50 tries.");
    }

    public void Dispose() => _socket.Dispose();

    // Linux binds with bind(2) itself: the runtime's Socket.Bind sets SO_REUSEADDR on every TCP socket, and Linux lets a second
    // socket that sets it too (Kestrel's) bind a port whose holder also set it and does not listen, so a service could still
    // start there. Without it on the holder, every other bind of the port fails.
    private static bool TryBind(Socket socket, int port)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return false;
            }
        }

        // struct sockaddr_in: family (host order), port (network order), address (network order), 8 bytes of zeros.
        Span<byte> address = stackalloc byte[16];
        address.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(address, (ushort)AddressFamily.InterNetwork);
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], (ushort)port);
        IPAddress.Loopback.TryWriteBytes(address[4..8], out _);
        if (Bind(socket.SafeHandle, address, address.Length) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error != AddressInUse)
        {
            throw new InvalidOperationException($"bind(2) of port {port} failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return false;
    }

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(SafeHandle socket, ReadOnlySpan<byte> address, int length);
}
