using Microsoft.Extensions.Time.Testing;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Tests.Leadership;

public sealed class LeaderElectorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ElectorFixture _fixture;

    public LeaderElectorTests() => _fixture = new ElectorFixture(3, _time);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ElectAsync_AllReady_HighestIdWinsAndEveryReplicaIsTold()
    {
        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.NotNull(leader);
        Assert.Equal(3, leader.ReplicaId);
        Assert.Equal(1, leader.Epoch);
        Assert.Same(leader, _fixture.State.Current);
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            var announcement = Assert.Single(replica.Announcements);
            Assert.Equal(_fixture.Replicas[3].Url, announcement.LeaderId);
            Assert.Equal(1, announcement.Epoch);
        }
    }

    [Fact]
    public async Task ElectAsync_EveryPingSlowerThanTheElectionTimeout_LaterElectionsWaitLongerUntilOneElects()
    {
        _fixture.Replicas.PingDelay = _fixture.Options.ElectionProbeTimeout * 1.5;

        Assert.Null(await _fixture.Elector.ElectAsync(Token));
        LeaderSnapshot? leader = null;
        for (var election = 0; election < 5 && leader is null; election++)
        {
            _time.Advance(_fixture.Options.ProbeInterval * 2);
            leader = await _fixture.Elector.ElectAsync(Token);
        }

        Assert.Equal(3, leader?.ReplicaId);
    }

    [Fact]
    public async Task ElectAsync_HighestNotReady_NextHighestWins()
    {
        _fixture.Replicas[3].Ready = false;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(2, leader!.ReplicaId);
    }

    [Fact]
    public async Task ElectAsync_ReplicaShowsNewerEpoch_AnnouncesHigherEpoch()
    {
        _fixture.Replicas[1].Epoch = 7;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(3, leader!.ReplicaId);
        Assert.Equal(8, leader.Epoch);
        Assert.Equal(8, _fixture.Replicas[3].Announcements.Single().Epoch);
    }

    [Fact]
    public async Task ElectAsync_WinnerRefusesAnnouncement_NextReadyWins()
    {
        _fixture.Replicas[3].RefuseAnnouncements = true;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(2, leader!.ReplicaId);
        Assert.Equal(_fixture.Replicas[2].Url, _fixture.Replicas[1].LeaderId);
    }

    [Fact]
    public async Task ElectAsync_NoneReady_NoLeaderWhileOneIsBackThenTickElectsWhenAMajorityIs()
    {
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            replica.Up = false;
        }

        Assert.Null(await _fixture.Elector.ElectAsync(Token));
        Assert.Null(_fixture.State.Current);

        _fixture.Replicas[1].Up = true;
        await _fixture.Elector.TickAsync(Token);
        Assert.Null(_fixture.State.Current);
        Assert.Equal(0, _fixture.Replicas[1].Epoch);

        _fixture.Replicas[2].Up = true;
        await _fixture.Elector.TickAsync(Token);

        Assert.Equal(2, _fixture.State.Current!.ReplicaId);
        Assert.Equal(1, _fixture.State.Current.Epoch);
    }

    [Fact]
    public async Task ElectAsync_FailedWithinProbeInterval_AnsweredAgainWithoutProbing()
    {
        _fixture.Replicas[3].Up = false;
        _fixture.Replicas[2].Ready = false;
        _fixture.Replicas[1].Ready = false;
        Assert.Null(await _fixture.Elector.ElectAsync(Token));
        var pings = _fixture.Replicas[2].Pings;
        _fixture.Replicas[2].Ready = true;
        _fixture.Replicas[1].Ready = true;

        Assert.Null(await _fixture.Elector.ElectAsync(Token));
        Assert.Equal(pings, _fixture.Replicas[2].Pings);

        _time.Advance(_fixture.Options.ProbeInterval);
        Assert.Equal(2, (await _fixture.Elector.ElectAsync(Token))!.ReplicaId);
    }

    [Fact]
    public async Task TickAsync_LeaderMissesOneProbe_KeptUntilTheSecondMiss()
    {
        var first = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Up = false;

        await _fixture.Elector.TickAsync(Token);

        Assert.Same(first, _fixture.State.Current);
    }

    [Fact]
    public async Task TickAsync_LeaderDown_NextHighestWithHigherEpoch()
    {
        var first = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Up = false;

        // The default: two unanswered probes in a row make a dead leader.
        await _fixture.Elector.TickAsync(Token);
        await _fixture.Elector.TickAsync(Token);

        var second = _fixture.State.Current!;
        Assert.Equal(2, second.ReplicaId);
        Assert.True(second.Epoch > first!.Epoch);
        Assert.True(first.Replaced.IsCancellationRequested);
        Assert.Equal(second.Epoch, _fixture.Replicas[1].Epoch);
    }

    [Fact]
    public async Task TickAsync_LeaderForgotItsRole_Reannounced()
    {
        var leader = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].LeaderId = null;

        await _fixture.Elector.TickAsync(Token);

        Assert.Same(leader, _fixture.State.Current);
        Assert.Equal(2, _fixture.Replicas[3].Announcements.Count);
        Assert.True(_fixture.Replicas[3].IsLeader);
    }

    [Fact]
    public async Task TickAsync_FollowerWithOlderEpoch_ReannouncedWithinFollowerCheck()
    {
        var leader = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[1].Epoch = 0;
        _fixture.Replicas[1].LeaderId = _fixture.Replicas[1].Url; // a resumed old leader

        for (var i = 0; i < 10; i++)
        {
            await _fixture.Elector.TickAsync(Token);
        }

        Assert.Equal(leader!.Url, _fixture.Replicas[1].LeaderId);
        Assert.Equal(leader.Epoch, _fixture.Replicas[1].Epoch);
    }

    [Fact]
    public async Task ReportFailureAsync_ConcurrentCallers_RunOneElection()
    {
        var first = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Up = false;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Replicas.PingGate = gate.Task;

        var callers = Enumerable.Range(0, 10).Select(_ => _fixture.Elector.ReportFailureAsync(first!, Token)).ToArray();
        gate.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.All(results, result => Assert.Same(results[0], result));
        Assert.Equal(2, results[0]!.ReplicaId);
        Assert.Single(_fixture.Replicas[2].Announcements, a => a.LeaderId == _fixture.Replicas[2].Url);
    }

    [Fact]
    public async Task ReportFailureAsync_LeaderStillLeadsAtOurEpoch_KeptWithoutNewEpoch()
    {
        var first = await _fixture.Elector.ElectAsync(Token);

        var result = await _fixture.Elector.ReportFailureAsync(first!, Token);

        Assert.Same(first, result);
        Assert.Single(_fixture.Replicas[3].Announcements);
    }

    [Fact]
    public async Task ElectAsync_LeaderKnown_ReturnsItWithoutElection()
    {
        var first = await _fixture.Elector.ElectAsync(Token);

        Assert.Same(first, await _fixture.Elector.ElectAsync(Token));
        Assert.Single(_fixture.Replicas[3].Announcements);
    }

    [Fact]
    public async Task ReportFailureAsync_SnapshotAlreadyReplaced_NoElection()
    {
        var first = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Up = false;
        var second = await _fixture.Elector.ReportFailureAsync(first!, Token);
        var announcements = _fixture.Replicas[2].Announcements.Count;

        var result = await _fixture.Elector.ReportFailureAsync(first!, Token);

        Assert.Same(second, result);
        Assert.Equal(2, result!.ReplicaId);
        Assert.Equal(announcements, _fixture.Replicas[2].Announcements.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FakeTimeAdvances_ProbesAndFailsOver()
    {
        await _fixture.Elector.StartAsync(Token);
        try
        {
            var first = await Eventually(() => _fixture.State.Current, leader => leader?.ReplicaId == 3);
            _fixture.Replicas[3].Up = false;

            var second = await Eventually(
                () =>
                {
                    _time.Advance(_fixture.Options.ProbeInterval);
                    return _fixture.State.Current;
                },
                leader => leader?.ReplicaId == 2);

            Assert.True(second!.Epoch > first!.Epoch);
        }
        finally
        {
            await _fixture.Elector.StopAsync(Token);
        }
    }

    private static async Task<T> Eventually<T>(Func<T> observe, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = observe();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Condition not met in time; last value: {value}");
            await Task.Delay(5, Token);
        }
    }

    [Fact]
    public async Task ElectAsync_ReplicaAlreadyLeadsAtHighestEpoch_KeptWithoutAnnouncement()
    {
        _fixture.Replicas[2].Epoch = 5;
        _fixture.Replicas[2].LeaderId = _fixture.Replicas[2].Url;
        _fixture.Replicas[1].Epoch = 5;
        _fixture.Replicas[1].LeaderId = _fixture.Replicas[2].Url;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(2, leader!.ReplicaId);
        Assert.Equal(5, leader.Epoch);
        Assert.Equal(5, _fixture.State.Epoch);
        Assert.All(_fixture.Replicas.Replicas, replica => Assert.Empty(replica.Announcements));
    }

    [Fact]
    public async Task ElectAsync_LeaderAtOlderEpochThanAnotherReplica_NewElectionAboveBoth()
    {
        _fixture.Replicas[2].Epoch = 4;
        _fixture.Replicas[2].LeaderId = _fixture.Replicas[2].Url;
        _fixture.Replicas[1].Epoch = 6;
        _fixture.Replicas[1].LeaderId = _fixture.Replicas[3].Url;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(3, leader!.ReplicaId);
        Assert.Equal(7, leader.Epoch);
    }

    [Fact]
    public async Task ElectAsync_SittingLeaderNotReady_NotKept()
    {
        _fixture.Replicas[2].Epoch = 5;
        _fixture.Replicas[2].LeaderId = _fixture.Replicas[2].Url;
        _fixture.Replicas[2].Ready = false;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(3, leader!.ReplicaId);
        Assert.Equal(6, leader.Epoch);
    }
}
