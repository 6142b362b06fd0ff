using System.Text.RegularExpressions;

namespace StockNet.Cluster.Network;

/// <summary>
/// Removes the namespaces and bridges of harness runs whose process is gone (killed before its reaper ran, or the
/// machine's reaper was killed too). Only names of the harness's own form with a dead pid are touched.
/// </summary>
internal static partial class StaleNetworks
{
    public static async Task RemoveAsync()
    {
        var (code, namespaces, _) = await HostCommand.TryRunAsync("ip", "netns", "list");
        if (code == 0)
        {
            foreach (var name in namespaces.Split('\n').Select(line => line.Split(' ')[0]).Where(IsStale))
            {
                await HostCommand.TryRunAsync("ip", "netns", "del", name);
            }
        }

        var (linkCode, links, _) = await HostCommand.TryRunAsync("ip", "-o", "link", "show", "type", "bridge");
        if (linkCode == 0)
        {
            foreach (var name in links.Split('\n').Select(line => line.Split(':', StringSplitOptions.TrimEntries)).Where(parts => parts.Length > 1).Select(parts => parts[1]).Where(IsStale))
            {
                await HostCommand.TryRunAsync("ip", "link", "del", name);
            }
        }
    }

    private static bool IsStale(string name)
    {
        var match = HarnessName().Match(name);
        return match.Success && int.TryParse(match.Groups[1].Value, out var pid) && !Directory.Exists("/proc/" + pid);
    }

    [GeneratedRegex(@"^sn(\d+)[a-z](-|br$)")]
    private static partial Regex HarnessName();
}
