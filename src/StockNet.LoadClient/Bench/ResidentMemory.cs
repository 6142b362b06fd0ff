using System.Globalization;
using StockNet.Cluster;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// Peak resident memory of each service (VmHWM in /proc/{pid}/status, Linux only), read after the load so
/// it covers the whole run: issue 4 asks for at most 150 MB per service.
/// </summary>
public static class ResidentMemory
{
    public const double TargetMegabytes = 150;

    public static IReadOnlyDictionary<string, double> PeakMegabytes(LocalCluster cluster)
    {
        var peaks = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var service in cluster.Services)
        {
            if (service.ProcessId is { } pid && TryReadPeakKilobytes(pid, out var kilobytes))
            {
                peaks[service.Name] = kilobytes / 1024.0;
            }
        }

        return peaks;
    }

    private static bool TryReadPeakKilobytes(int pid, out long kilobytes)
    {
        kilobytes = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out kilobytes);
                }
            }
        }
        catch (IOException)
        {
            // The process ended or this is not Linux: no figure rather than a failed benchmark.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        return false;
    }
}
