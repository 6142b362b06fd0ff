using System.Globalization;

namespace StockNet.Cluster.Network;

/*
 * Many hosts on one machine: every node gets a Linux network namespace of its own, with one veth link to a bridge
 * this harness creates, and an address of a private /24 that exists only there. The harness itself (the root
 * namespace) has the bridge's address, so it reaches every host; hosts reach each other through the bridge.
 * Guarantees: every name starts with "sn{pid}{letter}" (namespaces sn{pid}{letter}-{node}, links sn{pid}{letter}h{i},
 * bridge sn{pid}{letter}br; the letter counts the harnesses of one process), so runs never collide; whatever a run made is removed when it is disposed, when it fails half-way, and, through
 * a detached reaper that waits for this process, also when the process is killed; and every run first removes
 * what dead runs left behind.
 */
public sealed partial class NetworkHosts : INodePlacement, IAsyncDisposable
{
    /// <summary>The port every service listens on: each host has its own address, so all can share it.</summary>
    public const int ServicePort = 7100;

    private const string Table = "stocknet";
    private static int _created;
    private readonly Dictionary<string, HostNode> _hosts = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly string _subnet;
    private NetworkReaper? _reaper;
    private bool _disposed;

    private NetworkHosts(string prefix, string subnet)
    {
        _prefix = prefix;
        _subnet = subnet;
    }

    /// <summary>One host: the node it runs, its namespace, its address and its link's end on the bridge.</summary>
    public sealed record HostNode(string NodeName, string Namespace, string Address, string BridgeLink);

    public int Port => ServicePort;

    /// <summary>The bridge's address: where the harness's own requests come from.</summary>
    public string HarnessAddress => _subnet + ".1";

    public IReadOnlyCollection<HostNode> Hosts => _hosts.Values;

    public string BridgeName => _prefix + "br";

    /// <summary>True when <c>tc netem</c> works here: slow links then get delay and loss from it.</summary>
    public bool NetemAvailable { get; private set; }

    /// <summary>
    /// True when slow links are delayed, by netem or else by a <see cref="PacketDelayer"/> on an NFQUEUE (which needs
    /// libnetfilter_queue and iptables); false when they only lose packets.
    /// </summary>
    public bool CanDelay => NetemAvailable || QueueDelayAvailable;

    private bool QueueDelayAvailable { get; set; }

    public HostNode this[string nodeName] => _hosts.TryGetValue(nodeName, out var host)
        ? host
        : throw new KeyNotFoundException($"No host runs '{nodeName}'.");

    /// <summary>
    /// Why namespaces cannot be used here (not root, <c>ip</c> or <c>nft</c> missing, no permission), or null when
    /// they can: tests skip with this reason rather than pass.
    /// </summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        var probe = $"sn{Environment.ProcessId}-probe";
        var (code, _, error) = await HostCommand.TryRunAsync("ip", "netns", "add", probe);
        if (code != 0)
        {
            return "'ip netns add' failed: " + error.Trim();
        }

        try
        {
            var (nftCode, _, nftError) = await HostCommand.TryRunAsync("ip", "netns", "exec", probe, "nft", "add", "table", "inet", Table);
            return nftCode == 0 ? null : "nftables does not work in a namespace: " + nftError.Trim();
        }
        finally
        {
            await HostCommand.TryRunAsync("ip", "netns", "del", probe);
        }
    }

    /// <summary>Creates the bridge and one host per node name; on any failure removes what it made and throws.</summary>
    public static async Task<NetworkHosts> CreateAsync(IReadOnlyList<string> nodeNames)
    {
        await StaleNetworks.RemoveAsync();
        var pid = Environment.ProcessId;
        var instance = Interlocked.Increment(ref _created) - 1;
        var network = new NetworkHosts($"sn{pid}{(char)('a' + (instance % 26))}", Subnet(pid, instance));
        try
        {
            network._reaper = NetworkReaper.Start(pid, network.BridgeName, [.. nodeNames.Select(network.NamespaceOf)]);
            await network.CreateBridgeAsync();
            for (var i = 0; i < nodeNames.Count; i++)
            {
                await network.AddHostAsync(nodeNames[i], i);
            }

            network.NetemAvailable = await network.ProbeNetemAsync();
            network.QueueDelayAvailable = !network.NetemAvailable && await network.ProbeQueueDelayAsync();
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public string HostFor(string nodeName) => this[nodeName].Address;

    public StockNetExecutable ExecutableFor(string nodeName, StockNetExecutable executable) =>
        executable.Under("ip", "netns", "exec", this[nodeName].Namespace);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopDelayers();
        foreach (var host in _hosts.Values)
        {
            await HostCommand.TryRunAsync("ip", "netns", "del", host.Namespace);
            await HostCommand.TryRunAsync("ip", "link", "del", host.BridgeLink);
        }

        await HostCommand.TryRunAsync("ip", "link", "del", BridgeName);
        _reaper?.Stop();
    }

    // 10.200-249.x.0/24 from the process id and the instance: runs at once get different subnets unless their pids
    // collide mod 12,800.
    private static string Subnet(int pid, int instance) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{200 + (((pid / 256) + instance) % 50)}.{pid % 256}");

    private string NamespaceOf(string nodeName) => $"{_prefix}-{nodeName}";

    private async Task CreateBridgeAsync()
    {
        await HostCommand.RunAsync("ip", "link", "add", BridgeName, "type", "bridge");
        await HostCommand.RunAsync("ip", "addr", "add", HarnessAddress + "/24", "dev", BridgeName);
        await HostCommand.RunAsync("ip", "link", "set", BridgeName, "up");
    }

    private async Task AddHostAsync(string nodeName, int index)
    {
        var host = new HostNode(
            nodeName,
            NamespaceOf(nodeName),
            string.Create(CultureInfo.InvariantCulture, $"{_subnet}.{10 + index}"),
            string.Create(CultureInfo.InvariantCulture, $"{_prefix}h{index}"));
        _hosts[nodeName] = host;
        await HostCommand.RunAsync("ip", "netns", "add", host.Namespace);
        await HostCommand.RunAsync("ip", "link", "add", host.BridgeLink, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
        await HostCommand.RunAsync("ip", "link", "set", host.BridgeLink, "master", BridgeName, "up");
        await InHostAsync(host, "ip", "addr", "add", host.Address + "/24", "dev", "eth0");
        await InHostAsync(host, "ip", "link", "set", "eth0", "up");
        await InHostAsync(host, "ip", "link", "set", "lo", "up");
        await InHostAsync(host, "nft", "add", "table", "inet", Table);
        await InHostAsync(host, "nft", "add", "chain", "inet", Table, "input", "{ type filter hook input priority 0 ; }");
        await InHostAsync(host, "nft", "add", "chain", "inet", Table, "output", "{ type filter hook output priority 0 ; }");
    }

    private async Task<bool> ProbeNetemAsync()
    {
        var host = _hosts.Values.First();
        var (code, _, _) = await HostCommand.TryRunAsync("ip", "netns", "exec", host.Namespace, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms");
        if (code == 0)
        {
            await InHostAsync(host, "tc", "qdisc", "del", "dev", "lo", "root");
        }

        return code == 0;
    }

    // The NFQUEUE target is iptables' (this kernel's nftables has no queue expression); the library is loaded by name.
    private async Task<bool> ProbeQueueDelayAsync()
    {
        var host = _hosts.Values.First();
        var (code, _, _) = await HostCommand.TryRunAsync("ip", "netns", "exec", host.Namespace, "iptables", "-S", "OUTPUT");
        return code == 0 && NetfilterQueueNative.IsAvailable();
    }

    private static Task<string> InHostAsync(HostNode host, string file, params IReadOnlyList<string> arguments) =>
        HostCommand.RunAsync("ip", ["netns", "exec", host.Namespace, file, .. arguments]);
}
