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
/// Link faults: cuts are nftables rules inside the namespaces, slow links are <c>tc netem</c> on both ends of a host's
/// link (netem shapes only what leaves an interface). <see cref="HealAsync"/> removes every rule and qdisc at once.
/// </summary>
public sealed partial class NetworkHosts
{
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
    /// Delays and drops everything on <paramref name="node"/>'s link, both ways. Without netem in this kernel only the
    /// loss is applied (with nftables); the returned text says which.
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
            return "delay and loss";
        }

        var perMille = ((int)Math.Round(lossPercent * 10)).ToString(CultureInfo.InvariantCulture);
        foreach (var chain in new[] { "input", "output" })
        {
            await InHostAsync(host, "nft", "add", "rule", "inet", Table, chain, "numgen", "random", "mod", "1000", "<", perMille, "drop");
        }

        return "loss only: no netem in this kernel";
    }

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
        }
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

        return rules;
    }
}
