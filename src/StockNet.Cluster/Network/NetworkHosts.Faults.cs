using System.Globalization;

namespace StockNet.Cluster.Network;

/// <summary>How a link is cut.</summary>
public enum CutDirection
{
    /// <summary>Nothing passes either way; open connections hang until their timeouts.</summary>
    Both,

    /// <summary>The first host cannot open or use connections to the second; the second can still call the first.</summary>
    OneWay,
}

/// <summary>
/// Link faults: cuts are nftables rules inside the namespaces. Slow links are <c>tc netem</c> on both ends of a host's
/// link (netem shapes only what leaves an interface) where the kernel has netem; where it has not, the host's packets
/// both ways go through an NFQUEUE to a <see cref="PacketDelayer"/>, and nftables drops the lost ones.
/// <see cref="HealAsync"/> removes every rule, qdisc and delayer at once.
/// </summary>
public sealed partial class NetworkHosts
{
    // Queue numbers are per namespace, and a host has at most one slow link.
    private const ushort DelayQueue = 0;
    private readonly Dictionary<string, PacketDelayer> _delayers = new(StringComparer.Ordinal);

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/>, one way or both.</summary>
    public async Task CutAsync(string from, string to, CutDirection direction)
    {
        var source = this[from];
        var target = this[to].Address;
        if (direction == CutDirection.OneWay)
        {
            // Only connections the source opens are dropped; replies on connections the target opened still pass.
            await InHostAsync(source, "nft", "add", "rule", "inet", Table, "output", "ip", "daddr", target, "ct", "direction", "original", "drop");
            return;
        }

        await InHostAsync(source, "nft", "add", "rule", "inet", Table, "output", "ip", "daddr", target, "drop");
        await InHostAsync(source, "nft", "add", "rule", "inet", Table, "input", "ip", "saddr", target, "drop");
    }

    /// <summary>
    /// Delays and drops everything on <paramref name="node"/>'s link, both ways, so a round trip through it takes twice
    /// <paramref name="delay"/> longer. Without netem and without NFQUEUE support only the loss is applied; the
    /// returned text says how the link was slowed.
    /// </summary>
    public async Task<string> SlowAsync(string node, TimeSpan delay, double lossPercent)
    {
        var host = this[node];
        var milliseconds = ((int)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var loss = lossPercent.ToString("0.##", CultureInfo.InvariantCulture) + "%";
        if (NetemAvailable)
        {
            await InHostAsync(host, "tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", milliseconds, "loss", loss);
            await HostCommand.RunAsync("tc", "qdisc", "add", "dev", host.BridgeLink, "root", "netem", "delay", milliseconds, "loss", loss);
            return "netem delay and loss";
        }

        var perMille = ((int)Math.Round(lossPercent * 10)).ToString(CultureInfo.InvariantCulture);
        foreach (var chain in new[] { "input", "output" })
        {
            await InHostAsync(host, "nft", "add", "rule", "inet", Table, chain, "numgen", "random", "mod", "1000", "<", perMille, "drop");
        }

        if (!QueueDelayAvailable || _delayers.ContainsKey(node))
        {
            return "loss only: no netem in this kernel, and no libnetfilter_queue or iptables for a queue";
        }

        // The delayer listens before any packet is queued; queue-bypass lets packets pass if it ever stops listening.
        _delayers[node] = await PacketDelayer.StartAsync("/run/netns/" + host.Namespace, DelayQueue, delay);
        var queue = DelayQueue.ToString(CultureInfo.InvariantCulture);
        await InHostAsync(host, "iptables", "-A", "INPUT", "-i", "eth0", "-j", "NFQUEUE", "--queue-num", queue, "--queue-bypass");
        await InHostAsync(host, "iptables", "-A", "OUTPUT", "-o", "eth0", "-j", "NFQUEUE", "--queue-num", queue, "--queue-bypass");
        return "queue delay and nftables loss";
    }

    /// <summary>How many packets the slow links' delayers have held since they started (0 with netem).</summary>
    public long DelayedPackets => _delayers.Values.Sum(delayer => delayer.Delayed);

    /// <summary>Removes every cut and every slow link.</summary>
    public async Task HealAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await InHostAsync(host, "nft", "flush", "chain", "inet", Table, "input");
            await InHostAsync(host, "nft", "flush", "chain", "inet", Table, "output");
            if (NetemAvailable)
            {
                // Absent unless the host was slowed; "no qdisc" is not an error here.
                await HostCommand.TryRunAsync("ip", "netns", "exec", host.Namespace, "tc", "qdisc", "del", "dev", "eth0", "root");
                await HostCommand.TryRunAsync("tc", "qdisc", "del", "dev", host.BridgeLink, "root");
            }

            if (_delayers.ContainsKey(host.NodeName))
            {
                // Rules first, so nothing new is queued; then the delayer lets go of what it holds.
                await InHostAsync(host, "iptables", "-F", "INPUT");
                await InHostAsync(host, "iptables", "-F", "OUTPUT");
            }
        }

        StopDelayers();
    }

    /// <summary>Every rule in every host's table, for a test that checks a heal left nothing behind.</summary>
    public async Task<int> CountRulesAsync()
    {
        var rules = 0;
        foreach (var host in _hosts.Values)
        {
            var listing = await InHostAsync(host, "nft", "-a", "list", "table", "inet", Table);
            // The table and its chains carry handles too; rules are the other lines that do.
            rules += listing.Split('\n').Select(line => line.Trim()).Count(line =>
                line.Contains("# handle", StringComparison.Ordinal)
                && !line.StartsWith("table ", StringComparison.Ordinal)
                && !line.StartsWith("chain ", StringComparison.Ordinal));
        }

        return rules + await CountQueueRulesAsync();
    }

    private async Task<int> CountQueueRulesAsync()
    {
        if (!QueueDelayAvailable)
        {
            return 0;
        }

        var rules = 0;
        foreach (var host in _hosts.Values)
        {
            rules += (await InHostAsync(host, "iptables", "-S")).Split('\n').Count(line => line.StartsWith("-A ", StringComparison.Ordinal));
        }

        return rules;
    }

    private void StopDelayers()
    {
        foreach (var delayer in _delayers.Values)
        {
            delayer.Dispose();
        }

        _delayers.Clear();
    }
}
