using System.Diagnostics;

namespace StockNet.Chaos;

/// <summary>
/// Polls every replica's ping during the run: knows the leader of the moment (for partitions aimed at it) and
/// counts elections as the rises of the highest epoch any replica reports, with when each was seen.
/// </summary>
internal sealed class LeaderWatch(ClusterProbe probe, Stopwatch clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly List<TimeSpan> _elections = [];
    private readonly Lock _gate = new();
    private long _highestEpoch = -1;
    private string? _leader;

    /// <summary>When each election was seen, since the load started.</summary>
    public IReadOnlyList<TimeSpan> Elections
    {
        get
        {
            lock (_gate)
            {
                return [.. _elections];
            }
        }
    }

    public string? Leader => Volatile.Read(ref _leader);

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await PollAsync(stop);
                await Task.Delay(Interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; a poll in flight is simply dropped.
        }
    }

    private async Task PollAsync(CancellationToken stop)
    {
        var pings = await Task.WhenAll(probe.Endpoints.Replicas.Select(async replica => (replica.Name, Ping: await probe.PingAsync(replica.Url, stop))));
        var answered = pings.Where(p => p.Ping is not null).ToList();
        if (answered.Count == 0)
        {
            return;
        }

        var highest = answered.Max(p => p.Ping!.EpochOrZero);
        if (answered.FirstOrDefault(p => p.Ping!.IsLeader && p.Ping.EpochOrZero == highest) is { Name: { } leader })
        {
            Volatile.Write(ref _leader, leader);
        }

        lock (_gate)
        {
            if (_highestEpoch >= 0 && highest > _highestEpoch)
            {
                _elections.Add(clock.Elapsed);
            }

            _highestEpoch = Math.Max(_highestEpoch, highest);
        }
    }
}
