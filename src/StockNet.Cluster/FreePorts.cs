using System.Net;
using System.Net.Sockets;

namespace StockNet.Cluster;

/// <summary>
/// Finds free loopback ports by binding port 0. The port is released before the service binds it, so
/// another process may take it in between; <see cref="LocalCluster"/> retries the whole start when that happens.
/// </summary>
internal static class FreePorts
{
    public static IReadOnlyList<int> Take(string host, int count)
    {
        var address = IPAddress.Parse(host);
        var listeners = new List<TcpListener>(count);
        try
        {
            // Hold every listener until all are bound, so the ports are distinct.
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(address, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
