using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StockNet.Protocol;
using StockNet.FrontEnd.Leadership;

namespace StockNet.FrontEnd.Tests.Leadership;

/// <summary>An elector over fake replicas, with the state it writes to.</summary>
public sealed class ElectorFixture : IDisposable
{
    public ElectorFixture(int replicas, TimeProvider time)
    {
        Replicas = new FakeReplicas(replicas);
        Http = new HttpClient(Replicas);
        Client = new OrderReplicaClient(Http);
        // Patient enough that an in-process ping on a starved machine is never taken for a silent replica.
        Options = new LeaderElectionOptions { ProbeInterval = TimeSpan.FromMilliseconds(100), ProbeTimeout = TimeSpan.FromSeconds(5), ElectionProbeTimeout = TimeSpan.FromSeconds(1) };
        Elector = new LeaderElector(
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new FrontEndOptions { OrderReplicas = Replicas.OrderReplicasOption }),
            Client,
            State,
            time,
            NullLogger<LeaderElector>.Instance);
    }

    public FakeReplicas Replicas { get; }

    public HttpClient Http { get; }

    public OrderReplicaClient Client { get; }

    public LeaderElectionOptions Options { get; }

    public LeaderState State { get; } = new();

    public LeaderElector Elector { get; }

    public void Dispose()
    {
        Elector.Dispose();
        Http.Dispose();
    }
}
