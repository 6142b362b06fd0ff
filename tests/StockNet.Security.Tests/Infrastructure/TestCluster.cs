using StockNet.Cluster;
using StockNet.Contracts.Security;

namespace StockNet.Security.Tests.Infrastructure;

/// <summary>
/// A whole cluster in this process: the catalog, three order replicas and the front-end, each a real app on a
/// loopback port, sharing the test key, with a temporary data root deleted at the end.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stocknet-sec-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<ServiceHost> _hosts = [];

    public ServiceHost Catalog => _hosts[0];

    public ServiceHost FrontEnd => _hosts[^1];

    public IReadOnlyList<ServiceHost> Replicas => _hosts[1..^1];

    public IReadOnlyList<ServiceHost> All => _hosts;

    /// <summary>Starts every service, on new ports again when one was taken before its service bound it (<see cref="PortRace"/>); <paramref name="frontEndSettings"/> go to the front-end only.</summary>
    public static Task<TestCluster> StartAsync(params string[] frontEndSettings) =>
        PortRace.RetryAsync(async () =>
        {
            var cluster = new TestCluster();
            try
            {
                await cluster.StartServicesAsync(frontEndSettings);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created.
        }
    }

    private async Task StartServicesAsync(string[] frontEndSettings)
    {
        var catalogUrl = FreePorts.LoopbackUrl();
        var frontEndUrl = FreePorts.LoopbackUrl();
        string[] replicaUrls = [FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl(), FreePorts.LoopbackUrl()];
        var replicas = string.Join(',', replicaUrls);
        _hosts.Add(await ServiceHost.StartAsync(PublicRoutes.Catalog, catalogUrl, Dir("catalog"), [$"--Catalog:FrontEndUrl={frontEndUrl}"]));
        for (var id = 1; id <= replicaUrls.Length; id++)
        {
            _hosts.Add(await ServiceHost.StartAsync(PublicRoutes.Order, replicaUrls[id - 1], Dir($"order-{id}"),
                [$"--Orders:ReplicaId={id}", $"--Orders:Replicas={replicas}", $"--Orders:CatalogUrl={catalogUrl}"]));
        }

        _hosts.Add(await ServiceHost.StartAsync(PublicRoutes.FrontEnd, frontEndUrl, Dir("frontend"),
            [$"--FrontEnd:CatalogUrl={catalogUrl}", $"--FrontEnd:OrderReplicas={replicas}", .. frontEndSettings]));
        await WaitForLeaderAsync();
    }

    private string Dir(string name) => Path.Combine(_root, name);

    /// <summary>Polls (bounded) until the front-end's readiness says it has an order leader.</summary>
    private async Task WaitForLeaderAsync()
    {
        using var http = FrontEnd.UnsignedClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var ready = await http.GetStringAsync(StockNet.Contracts.Routes.HealthReady, TestContext.Current.CancellationToken);
            if (ready.Contains("Healthy", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The front-end found no order leader within 30 s.");
    }
}
