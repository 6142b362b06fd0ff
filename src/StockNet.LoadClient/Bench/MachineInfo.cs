using System.Globalization;
using System.Runtime.InteropServices;

namespace StockNet.LoadClient.Bench;

/// <summary>The machine a benchmark ran on, for the report: cores, memory, OS and .NET version.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memory:0.0} GiB memory, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC in the client");
    }
}
