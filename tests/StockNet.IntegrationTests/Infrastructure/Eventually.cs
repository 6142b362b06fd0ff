using System.Diagnostics;

namespace StockNet.IntegrationTests.Infrastructure;

/// <summary>Polls a condition with backoff until it holds or a deadline passes; never a fixed sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits until <paramref name="condition"/> is true; fails with <paramref name="describe"/>'s view of the last observed state.</summary>
    public static async Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan timeout,
        Func<string> describe,
        CancellationToken cancellationToken = default)
    {
        await UntilAsync(condition, held => held, timeout, _ => describe(), cancellationToken);
    }

    /// <summary>Probes until <paramref name="accept"/> takes the observation, and returns it; a probe that throws counts as not yet.</summary>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> accept,
        TimeSpan timeout,
        Func<T?, string> describe,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        var last = default(T);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe(cancellationToken);
                lastError = null;
                if (accept(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
            }

            if (clock.Elapsed >= timeout)
            {
                var error = lastError is null ? "" : $" The last probe threw {lastError.GetType().Name}: {lastError.Message}";
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.###} s. Last observed: {describe(last)}.{error}");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
