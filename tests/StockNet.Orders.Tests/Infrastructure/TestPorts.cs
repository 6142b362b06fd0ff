using System.Net;
using System.Net.Sockets;

namespace StockNet.Orders.Tests.Infrastructure;

/// <summary>
/// Replicas must know each other's URLs before they start, so multi-replica tests reserve loopback
/// ports up front (bind port 0, read it, release it).
/// </summary>
internal static class TestPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string FreeUrl() => $"http://127.0.0.1:{Free()}";
}
