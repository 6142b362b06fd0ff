using System.Text.Json;
using StockNet.Contracts;

namespace StockNet.Protocol.Tests;

public sealed class PingReplyTests
{
    [Fact]
    public void Deserialize_SeedPing_ReadsAsReadyNotLeadingWithoutEpoch()
    {
        var ping = JsonSerializer.Deserialize("""{"status":"ok","replica_id":2,"leader_id":null}""", StockNetJsonContext.Default.PingReply);

        Assert.Equal(new PingReply("ok", 2, null, Epoch: null, Ready: true, IsLeader: false, MaxTransaction: -1), ping);
        Assert.Equal(0, ping!.EpochOrZero);
    }

    [Fact]
    public void Serialize_OurPing_WritesEveryField()
    {
        var json = JsonSerializer.Serialize(new PingReply("ok", 3, null, 4, Ready: false, IsLeader: true, MaxTransaction: 9), StockNetJsonContext.Default.PingReply);

        Assert.Equal("""{"status":"ok","replica_id":3,"leader_id":null,"epoch":4,"ready":false,"is_leader":true,"max_transaction":9}""", json);
    }
}
