using System.Diagnostics;

namespace StockNet.Cli.Commands;

/// <summary>
/// Cancels when the parent process is gone. A launcher killed with SIGKILL cannot stop its children, so each
/// child watches its launcher instead and shuts down by itself: no orphan keeps a port or a database.
/// </summary>
internal sealed class ParentWatch : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _cancellation;
    private readonly Process? _parent;

    private ParentWatch(CancellationTokenSource cancellation, Process? parent)
    {
        _cancellation = cancellation;
        _parent = parent;
    }

    public CancellationToken Token => _cancellation.Token;

    public static ParentWatch Start(int? parentPid, CancellationToken cancellationToken)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (parentPid is not { } pid)
        {
            return new ParentWatch(cancellation, null);
        }

        var parent = TryOpen(pid);
        if (parent is null)
        {
            cancellation.Cancel();
            return new ParentWatch(cancellation, null);
        }

        _ = WatchAsync(parent, ParentProcessId() == pid, cancellation);
        return new ParentWatch(cancellation, parent);
    }

    public void Dispose()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
        _parent?.Dispose();
    }

    private static Process? TryOpen(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // Polling rather than Process.Exited: that event is only raised for children of this process.
    // A dead parent nobody reaped still answers kill(pid, 0); being re-parented gives that away.
    private static async Task WatchAsync(Process parent, bool isDirectParent, CancellationTokenSource cancellation)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation.Token))
            {
                parent.Refresh();
                if (parent.HasExited || (isDirectParent && ParentProcessId() != parent.Id))
                {
                    await Console.Error.WriteLineAsync($"Parent process {parent.Id} is gone; shutting down.");
                    await cancellation.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The service stopped first.
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The service stopped and disposed the watch while it was looking.
        }
    }

    /// <summary>This process's parent id on Linux (/proc/self/stat, field 4, after the parenthesised name); null elsewhere.</summary>
    private static int? ParentProcessId()
    {
        const string StatPath = "/proc/self/stat";
        if (!File.Exists(StatPath))
        {
            return null;
        }

        var stat = File.ReadAllText(StatPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
    }
}
