using System.Diagnostics;

namespace StockNet.Cluster.Network;

/// <summary>
/// A detached shell (its own session, so a kill of the harness's process group spares it) that waits for the
/// harness's process to end and then deletes its namespaces and bridge: the cleanup when the harness is killed.
/// A normal dispose cleans up itself and stops the reaper.
/// </summary>
internal sealed class NetworkReaper
{
    private readonly Process? _process;

    private NetworkReaper(Process? process) => _process = process;

    public static NetworkReaper Start(int pid, string bridge, IReadOnlyList<string> namespaces)
    {
        var script = $"while kill -0 {pid} 2>/dev/null; do sleep 1; done; "
            + string.Concat(namespaces.Select(name => $"ip netns del {name} 2>/dev/null; "))
            + $"ip link del {bridge} 2>/dev/null; exit 0";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new NetworkReaper(Process.Start(info));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid: the next run's stale cleanup removes what a killed run leaves.
            return new NetworkReaper(null);
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
        }

        _process?.Dispose();
    }
}
