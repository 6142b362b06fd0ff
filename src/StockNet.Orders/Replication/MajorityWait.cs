using System.Diagnostics;

namespace StockNet.Orders.Replication;

/// <summary>
/// Waits for the peers' answers to one request (a replicated entry, a new leader's epoch) in two stages: for all of
/// them up to a short deadline, so that a live peer is not skipped, then, while too few have said yes for a majority
/// and none has vetoed, for the rest up to a longer one. A busy machine or a slow link then costs latency before it
/// costs a leader its term. Both deadlines count from the call.
/// </summary>
internal static class MajorityWait
{
    public static async Task WaitAsync<T>(
        Task<T>[] answers, Func<T, bool> isYes, Func<T, bool> isVeto, int yesNeeded, TimeSpan allBy, TimeSpan majorityBy, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Whoever has not answered by then is waited for below only if the majority needs them.
        await TryWaitAsync(Task.WhenAll(answers), allBy, cancellationToken);

        while (Count(answers, isYes) < yesNeeded && Count(answers, isVeto) == 0)
        {
            var pending = answers.Where(answer => !answer.IsCompleted).ToArray();
            var remaining = majorityBy - Stopwatch.GetElapsedTime(started);
            if (pending.Length == 0 || remaining <= TimeSpan.Zero || !await TryWaitAsync(Task.WhenAny(pending), remaining, cancellationToken))
            {
                return;
            }
        }
    }

    private static int Count<T>(Task<T>[] answers, Func<T, bool> predicate) =>
        answers.Count(answer => answer.IsCompletedSuccessfully && predicate(answer.Result));

    private static async Task<bool> TryWaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
