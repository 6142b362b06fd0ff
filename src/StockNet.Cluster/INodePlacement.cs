namespace StockNet.Cluster;

/// <summary>Where each node of a cluster runs when it does not all run on one loopback address.</summary>
public interface INodePlacement
{
    /// <summary>The one port every placed node listens on (each has an address of its own).</summary>
    int Port { get; }

    /// <summary>The address <paramref name="nodeName"/> listens on and is reached at.</summary>
    string HostFor(string nodeName);

    /// <summary>The executable that starts <paramref name="nodeName"/> on its host.</summary>
    StockNetExecutable ExecutableFor(string nodeName, StockNetExecutable executable);
}
