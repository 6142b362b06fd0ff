using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StockNet.Cluster;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>stocknet up</c> on free ports with its own data root: its output lines (stdout and stderr), the
/// pid of each service as it printed them, Ctrl+C, and a kill of the whole tree on dispose.
/// </summary>
public sealed partial class UpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private UpProcess(Process process, string dataRoot)
    {
        _process = process;
        DataRoot = dataRoot;
    }

    public string DataRoot { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => [.. _lines];

    public static UpProcess Start(params string[] arguments)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "stocknet-up-" + Guid.NewGuid().ToString("N")[..12]);
        var process = new Process { StartInfo = BuildPaths.StockNet.CreateStartInfo(["up", "--free-ports", "--data-dir", dataRoot, .. arguments]) };
        var up = new UpProcess(process, dataRoot);
        process.OutputDataReceived += (_, e) => up.Add(e.Data);
        process.ErrorDataReceived += (_, e) => up.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return up;
    }

    /// <summary>Waits for the first line that matches; fails with the output so far if <c>up</c> exits or the time runs out.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Match? found = null;
        await Eventually.UntilAsync(
            _ =>
            {
                found = _lines.Select(line => pattern.Match(line)).FirstOrDefault(match => match.Success);
                return Task.FromResult(found is not null || _process.HasExited);
            },
            timeout,
            () => $"no line matching {pattern} from stocknet up; its output:{Environment.NewLine}{Output()}",
            cancellationToken);
        return found ?? throw new InvalidOperationException($"stocknet up exited ({_process.ExitCode}) before a line matched {pattern}:{Environment.NewLine}{Output()}");
    }

    /// <summary>The pid of each service, from the table <c>up</c> prints once the cluster is ready.</summary>
    public IReadOnlyDictionary<string, int> ReadyPids() => _lines
        .Select(line => ReadyLine().Match(line))
        .Where(match => match.Success)
        .ToDictionary(match => match.Groups["name"].Value, match => int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture));

    /// <summary>The URL of each service, from the same table.</summary>
    public IReadOnlyDictionary<string, Uri> ReadyUrls() => _lines
        .Select(line => ReadyLine().Match(line))
        .Where(match => match.Success)
        .ToDictionary(match => match.Groups["name"].Value, match => new Uri(match.Groups["url"].Value));

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does (to <c>up</c> alone here), and waits for the exit.</summary>
    public async Task InterruptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        PosixSignals.Send(_process.Id, PosixSignals.Interrupt);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    public string Output() => string.Join(Environment.NewLine, _lines);

    /// <summary>True while a process with this pid exists (signal 0 checks without sending anything).</summary>
    public static bool IsRunning(int pid) => PosixSignals.Send(pid, 0);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        if (Directory.Exists(DataRoot))
        {
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    [GeneratedRegex(@"^(?<name>catalog|order-\d+|frontend)\s+(?<url>http://\S+)\s+pid (?<pid>\d+)$")]
    private static partial Regex ReadyLine();

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
