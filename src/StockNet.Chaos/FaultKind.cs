using System.Text.Json.Serialization;

namespace StockNet.Chaos;

/// <summary>What a fault does to a process or to the links between hosts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>SIGKILL, then a restart with the same port and data after the hold.</summary>
    [JsonStringEnumMemberName("kill")]
    Kill,

    /// <summary>SIGSTOP, then SIGCONT after the hold: a hung process that holds its port.</summary>
    [JsonStringEnumMemberName("pause")]
    Pause,

    /// <summary>Cuts links between hosts with nftables (one way or both), then heals them: needs --hosts.</summary>
    [JsonStringEnumMemberName("partition")]
    Partition,

    /// <summary>20-100 ms delay and 1-5% loss on one replica's link (tc netem, or an NFQUEUE delayer where the kernel has no netem), then heals it: needs --hosts.</summary>
    [JsonStringEnumMemberName("slow")]
    Slow,
}
