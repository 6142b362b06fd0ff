namespace StockNet.Contracts;

/// <summary>The default ports of docs/api.md.</summary>
public static class DefaultPorts
{
    public const int Catalog = 8997;
    public const int FrontEnd = 9001;

    /// <summary>Replica ids run 1..3 on ports 8998..9000.</summary>
    public static int OrderReplica(int replicaId) => 8997 + replicaId;

    public static string Loopback(int port) => $"http://127.0.0.1:{port}";
}
