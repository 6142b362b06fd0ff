using System.Runtime.InteropServices;

namespace StockNet.Cluster;

/// <summary>
/// Sends signals that .NET has no managed API for: a graceful SIGTERM (Process.Kill only sends SIGKILL),
/// and SIGSTOP/SIGCONT to freeze a replica without killing it. Numbers differ between Linux and macOS.
/// </summary>
internal static partial class PosixSignals
{
    public static int Interrupt => 2;

    public static int Term => 15;

    public static int Stop => OperatingSystem.IsMacOS() ? 17 : 19;

    public static int Continue => OperatingSystem.IsMacOS() ? 19 : 18;

    /// <summary>True when the signal was delivered; false when the process is already gone.</summary>
    public static bool Send(int processId, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("POSIX signals need Linux or macOS.");
        }

        return Kill(processId, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
