using Microsoft.Extensions.Time.Testing;

namespace StockNet.FrontEnd.Tests.Leadership;

/// <summary>Two front-ends elect over the same replicas: they never share an epoch and settle on the newest leader.</summary>
public sealed class SeveralElectorsTests : IDisposable
{
    private readonly ElectorFixture _fixture = new(3, new FakeTimeProvider());

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(1, 2, 0, 1)]
    [InlineData(2, 2, 0, 2)]
    [InlineData(1, 2, 4, 5)]
    [InlineData(2, 2, 4, 6)]
    [InlineData(3, 3, 7, 9)]
    public async Task ElectAsync_ElectorOfSeveral_AnnouncesOnlyItsOwnEpochs(int electorId, int electors, long seen, long expected)
    {
        _fixture.Options.Electors = electors;
        _fixture.Options.ElectorId = electorId;
        _fixture.Replicas[1].Epoch = seen;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal(expected, leader!.Epoch);
        Assert.Equal(expected, _fixture.Replicas[3].Announcements.Single().Epoch);
    }

    [Fact]
    public async Task TickAsync_AnotherFrontEndCrownedNewerLeader_FollowedWithoutElection()
    {
        var ours = await _fixture.Elector.ElectAsync(Token);
        // The other front-end lost sight of replica 3 and crowned replica 2 at a newer epoch, which fenced the rest.
        foreach (var replica in _fixture.Replicas.Replicas)
        {
            replica.Epoch = ours!.Epoch + 1;
            replica.LeaderId = _fixture.Replicas[2].Url;
        }

        await _fixture.Elector.TickAsync(Token);

        var followed = _fixture.State.Current!;
        Assert.Equal((2, ours!.Epoch + 1), (followed.ReplicaId, followed.Epoch));
        Assert.All(_fixture.Replicas.Replicas, replica => Assert.Single(replica.Announcements));
    }

    [Fact]
    public async Task TickAsync_NewerLeaderStillRecovering_FollowedWithoutElection()
    {
        var ours = await _fixture.Elector.ElectAsync(Token);
        _fixture.Replicas[3].Epoch = ours!.Epoch + 1;
        _fixture.Replicas[3].LeaderId = _fixture.Replicas[1].Url;
        _fixture.Replicas[1].Epoch = ours.Epoch + 1;
        _fixture.Replicas[1].LeaderId = _fixture.Replicas[1].Url;
        _fixture.Replicas[1].Recovering = true;

        await _fixture.Elector.TickAsync(Token);

        Assert.Equal(1, _fixture.State.Current!.ReplicaId);
        Assert.Equal(ours.Epoch + 1, _fixture.State.Epoch);
    }

    [Fact]
    public async Task ElectAsync_WinnerRefusesBecauseAnotherFrontEndJustElectedIt_FollowsInsteadOfNextReplica()
    {
        // Between our pings and our announcement, the other front-end crowned replica 3 at epoch 2.
        _fixture.Replicas[3].RefuseAnnouncements = true;
        _fixture.Replicas[3].Epoch = 2;
        _fixture.Replicas[3].LeaderId = _fixture.Replicas[3].Url;
        _fixture.Replicas[3].HideUntilAnnounced = true;

        var leader = await _fixture.Elector.ElectAsync(Token);

        Assert.Equal((3, 2L), (leader!.ReplicaId, leader.Epoch));
        Assert.Empty(_fixture.Replicas[2].Announcements);
    }

    [Fact]
    public async Task ReportFailureAsync_LostLeaderStillAnswersPings_AnotherLeadsWithinHoldOff()
    {
        var lost = await _fixture.Elector.ElectAsync(Token);
        // Behind a lossy link: requests to it fail, yet it answers the election's patient ping (no longer leading).
        _fixture.Replicas[3].LeaderId = null;

        var next = await _fixture.Elector.ReportFailureAsync(lost!, Token);

        Assert.Equal(2, next!.ReplicaId);
        Assert.True(next.Epoch > lost!.Epoch);
    }
}
