using Microsoft.Extensions.Logging;

namespace StockNet.Orders.Leadership;

public sealed partial class ReplicaState
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Replica {ReplicaId}: {PreviousRole} (epoch {PreviousEpoch}) -> {Role} (epoch {Epoch}), leader {LeaderUrl}")]
    private static partial void LogTransition(
        ILogger logger, int replicaId, ReplicaRole previousRole, ReplicaRole role, long previousEpoch, long epoch, string leaderUrl);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Replica {ReplicaId} is ready: max transaction {MaxTransaction}, epoch {Epoch}")]
    private static partial void LogReady(ILogger logger, int replicaId, long maxTransaction, long epoch);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning,
        Message = "Replica {ReplicaId}: refused {LeaderUrl} as leader at epoch {Epoch}, which {HeldLeaderUrl} already holds")]
    private static partial void LogConflictingLeader(ILogger logger, int replicaId, long epoch, string heldLeaderUrl, string leaderUrl);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "Replica {ReplicaId}: refused to lead epoch {Epoch} again after stepping down from it")]
    private static partial void LogAbdicated(ILogger logger, int replicaId, long epoch);
}
