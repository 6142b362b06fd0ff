using Spectre.Console;
using StockNet.LoadClient.Workload;

namespace StockNet.LoadClient.Reports;

/// <summary>Follows a running piece of work; the live display shows a bar, the quiet one just waits.</summary>
public interface IRunWatcher
{
    Task WatchAsync(string label, long total, ProgressCounter counter, Task running);
}

/// <summary>
/// The live Spectre.Console progress bars, one per run. They are drawn only on an interactive terminal:
/// redirected output (CI logs, files) gets the final table alone.
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    public static async Task RunAsync(IAnsiConsole console, bool requested, Func<IRunWatcher, Task> body)
    {
        if (!requested || Console.IsOutputRedirected || !console.Profile.Capabilities.Interactive)
        {
            await body(new QuietWatcher());
            return;
        }

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => body(new LiveWatcher(context)));
    }

    private sealed class QuietWatcher : IRunWatcher
    {
        public Task WatchAsync(string label, long total, ProgressCounter counter, Task running) => running;
    }

    private sealed class LiveWatcher(ProgressContext context) : IRunWatcher
    {
        public async Task WatchAsync(string label, long total, ProgressCounter counter, Task running)
        {
            var task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
            while (!running.IsCompleted)
            {
                task.Value = counter.Done;
                await Task.WhenAny(running, Task.Delay(RefreshInterval));
            }

            task.Value = task.MaxValue;
            task.StopTask();
            await running;
        }
    }
}
