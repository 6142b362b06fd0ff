using System.Text.Json.Serialization;

namespace StockNet.Chaos;

/// <summary>What a fault does to a process.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>SIGKILL, then a restart with the same port and data after the hold.</summary>
    [JsonStringEnumMemberName("kill")]
    Kill,

    /// <summary>SIGSTOP, then SIGCONT after the hold: a hung process that holds its port.</summary>
    [JsonStringEnumMemberName("pause")]
    Pause,
}
