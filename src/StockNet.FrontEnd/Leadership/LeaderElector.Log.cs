using Microsoft.Extensions.Logging;
using StockNet.Protocol;

namespace StockNet.FrontEnd.Leadership;

public sealed partial class LeaderElector
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Replica {ReplicaId} elected order leader at epoch {Epoch} ({Url})")]
        public static partial void LeaderElected(ILogger logger, int replicaId, long epoch, string url);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
            Message = "No leader: {Ready} of {ReplicaCount} order replicas are ready and none of a majority took office; orders get 503 until one does (epoch {Epoch})")]
        public static partial void NoLeaderAvailable(ILogger logger, int ready, int replicaCount, long epoch);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Order leader replica {ReplicaId} at epoch {Epoch} is lost; electing")]
        public static partial void LeaderLost(ILogger logger, int replicaId, long epoch);

        [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Replica {ReplicaId} did not accept leadership at epoch {Epoch}: {Outcome}")]
        public static partial void AnnouncementRefused(ILogger logger, int replicaId, long epoch, ReplicaAck outcome);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Re-announcing leader replica {LeaderId} at epoch {Epoch} to replica {ReplicaId}")]
        public static partial void Reannouncing(ILogger logger, int replicaId, int leaderId, long epoch);

        [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Replica {ReplicaId} already leads at epoch {Epoch} ({Url}); kept as order leader")]
        public static partial void LeaderAdopted(ILogger logger, int replicaId, long epoch, string url);

        [LoggerMessage(EventId = 107, Level = LogLevel.Error,
            Message = "Replica {ReplicaId} does not know itself as {Url}: FrontEnd:OrderReplicas and the replicas' Orders:Replicas must spell each URL the same way")]
        public static partial void UnknownLeader(ILogger logger, int replicaId, string url);

        [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Leader probe round failed")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
