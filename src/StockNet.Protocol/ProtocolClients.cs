using Microsoft.Extensions.DependencyInjection;
using StockNet.Contracts.Security;

namespace StockNet.Protocol;

/// <summary>
/// The typed clients for a command-line tool without a host (<c>load</c>, <c>bench</c>, <c>chaos</c>, <c>up</c>):
/// a small service provider with the same <see cref="ProtocolHttp.AddProtocolHttp"/> registration the services use,
/// so a tool's requests go through the same handlers as theirs. Dispose it to close its connections.
/// </summary>
public sealed class ProtocolClients : IDisposable
{
    private readonly ServiceProvider _provider;

    private ProtocolClients(ServiceProvider provider) => _provider = provider;

    /// <summary>
    /// With <paramref name="signingKey"/>, every request is signed with the cluster key, as a service's own requests
    /// are (the internal routes need it: replicas' logs, the catalog's journal).
    /// </summary>
    public static ProtocolClients Create(Action<ProtocolHttpOptions>? configure = null, ClusterKey? signingKey = null)
    {
        var services = new ServiceCollection();
        var http = services.AddProtocolHttp(configure);
        if (signingKey is not null)
        {
            http.AddHttpMessageHandler(() => new SigningHandler(signingKey));
        }

        return new ProtocolClients(services.BuildServiceProvider());
    }

    public CatalogClient Catalog(Uri baseUrl, TimeSpan timeout) => new(_provider.CreateProtocolClient(), baseUrl, timeout);

    public OrderReplicaClient OrderReplicas() => new(_provider.CreateProtocolClient());

    public FrontEndClient FrontEnd(Uri baseUrl, TimeSpan timeout) => new(_provider.CreateProtocolClient(), baseUrl, timeout);

    public HealthClient Health(TimeSpan timeout) => new(_provider.CreateProtocolClient(), timeout);

    /// <summary>Requests of the caller's own making (<c>stocknet call</c>), signed when the clients were created with a key.</summary>
    public OperatorClient Operator(TimeSpan timeout) => new(_provider.CreateProtocolClient(), timeout);

    public ReadOnlyClient ReadOnly(string? token, TimeSpan timeout) => new(_provider.CreateProtocolClient(), token, timeout);

    public void Dispose() => _provider.Dispose();
}
