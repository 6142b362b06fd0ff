using System.Diagnostics;
using StockNet.Protocol;

namespace StockNet.Cluster;

/// <summary>
/// One Stock Net service running as a child process. It captures the child's output in a bounded ring
/// (optionally forwarding each line with a prefix such as "[order-2] "), waits for <c>/health/ready</c>
/// against a deadline, and can crash, stop, freeze, thaw and restart the child with the same arguments,
/// port and data directory. Disposing it never leaves the child behind.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>How long a graceful stop may take before the child is killed.</summary>
    public static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);

    // One pool for every probe of the process's life, like the static HttpClient it replaces.
    private static readonly HealthClient Health = ProtocolClients.Create().Health(TimeSpan.FromSeconds(1));

    private readonly StockNetExecutable _executable;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly Action<string>? _logSink;
    private readonly LogRing _logs;
    private readonly string _prefix;
    private Process? _process;
    private volatile bool _exitExpected;

    public ServiceProcess(
        string name,
        Uri baseUrl,
        StockNetExecutable executable,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string>? logSink = null,
        int logCapacity = 400)
    {
        Name = name;
        BaseUrl = baseUrl;
        _executable = executable;
        _arguments = arguments;
        _environment = environment ?? new Dictionary<string, string?>();
        _logSink = logSink;
        _logs = new LogRing(logCapacity);
        _prefix = $"[{name}] ";
    }

    /// <summary>Raised when the child exits without being asked to (a crash, or a start-up failure), with its exit code.</summary>
    public event Action<ServiceProcess, int>? ExitedUnexpectedly;

    public string Name { get; }

    public Uri BaseUrl { get; }

    public IReadOnlyList<string> Arguments => _arguments;

    public int? ProcessId => _process is { } process && !HasExited ? process.Id : null;

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>The child is gone and nobody asked it to go: a crash, an outside kill, an exit of its own.</summary>
    internal bool ExitedUnasked => _process is { HasExited: true } && !_exitExpected;

    /// <summary>The last captured lines of stdout and stderr, oldest first.</summary>
    public IReadOnlyList<string> RecentLogs(int? last = null) => _logs.Snapshot(last);

    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        _process?.Dispose();
        _exitExpected = false;
        var info = _executable.CreateStartInfo(_arguments);
        foreach (var (key, value) in _environment)
        {
            // A null value unsets a variable the child would otherwise inherit.
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => OnExited(process);
        process.Start();
        // The children never read stdin; closing it means a child blocked on a read cannot hang.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails at once, with the last log lines, if the child exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was not started.");
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(25);
        var lastState = "no answer yet";
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                throw new ServiceStartException(this, $"{Name} exited with code {process.ExitCode} before it was ready.");
            }

            lastState = await ProbeReadyAsync(cancellationToken);
            if (lastState == "200")
            {
                return;
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new ServiceStartException(this, $"{Name} was not ready at {BaseUrl} within {timeout.TotalSeconds:0.#} s (last probe: {lastState}).");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Kills the whole process tree at once, like a crash, and waits until it is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { } process)
        {
            return;
        }

        _exitExpected = true;
        TryKillTree(process);
        await process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>Asks the child to shut down (SIGTERM); kills it if it is not gone within <see cref="GracefulStopTimeout"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }

        _exitExpected = true;
        // A frozen child cannot act on SIGTERM.
        PosixSignals.Send(process.Id, PosixSignals.Continue);
        PosixSignals.Send(process.Id, PosixSignals.Term);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(GracefulStopTimeout);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync(cancellationToken);
        }
    }

    /// <summary>Freezes the child (SIGSTOP): it holds its port but answers nothing, like a hung node.</summary>
    public Task PauseAsync() => SignalAsync(PosixSignals.Stop);

    /// <summary>Thaws a child frozen by <see cref="PauseAsync"/> (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync(PosixSignals.Continue);

    /// <summary>Stops the child if it runs, then starts it again with the same arguments (so the same port and data directory) and waits until it is ready.</summary>
    public async Task RestartAsync(TimeSpan readyTimeout, bool graceful = false, CancellationToken cancellationToken = default)
    {
        if (graceful)
        {
            await StopAsync(cancellationToken);
        }
        else
        {
            await KillAsync(cancellationToken);
        }

        Start();
        await WaitReadyAsync(readyTimeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _exitExpected = true;
        if (!process.HasExited)
        {
            TryKillTree(process);
            using var timeout = new CancellationTokenSource(GracefulStopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Nothing more can be done; the kill was sent.
            }
        }

        process.Dispose();
    }

    public override string ToString() => $"{Name} at {BaseUrl}";

    // The status code when the service answered, otherwise why it did not.
    private async Task<string> ProbeReadyAsync(CancellationToken cancellationToken)
    {
        var readiness = await Health.CheckReadyAsync(BaseUrl, cancellationToken);
        return readiness.Status == 0 ? readiness.Detail : readiness.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task SignalAsync(int signal)
    {
        if (_process is { HasExited: false } process)
        {
            PosixSignals.Send(process.Id, signal);
        }

        return Task.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _logs.Add(line);
        _logSink?.Invoke(_prefix + line);
    }

    private void OnExited(Process process)
    {
        if (!_exitExpected && ReferenceEquals(process, _process))
        {
            ExitedUnexpectedly?.Invoke(this, process.ExitCode);
        }
    }

    private static void TryKillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
