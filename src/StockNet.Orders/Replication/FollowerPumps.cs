using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StockNet.Orders.Replication;

/// <summary>
/// Owns the loops of the <see cref="ReplicationManager"/>'s follower pumps: runs each for the life of the
/// host, and logs and restarts one that fails, so a follower never silently stops receiving entries.
/// </summary>
public sealed partial class FollowerPumps(ReplicationManager replication, ILogger<FollowerPumps> logger) : BackgroundService
{
    /// <summary>A pause before a restart, so a pump that fails at once does not spin.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(replication.Pumps.Select(pump => SuperviseAsync(pump, logger, stoppingToken)));

    internal static async Task SuperviseAsync(FollowerPump pump, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pump.RunAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRestarted(logger, ex, pump.Follower.Id);
                await Task.Delay(RestartDelay, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Replication to replica {PeerId} failed; its pump restarts")]
    private static partial void LogRestarted(ILogger logger, Exception exception, int peerId);
}
