using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using StockNet.Contracts;
using StockNet.Protocol;

namespace StockNet.Orders;

/// <summary>
/// Where a replica listens when no <c>--urls</c> is given: the seed's ORDER_HOST/ORDER_PORT if set, else
/// this replica's own URL from the replica list, so that by default replica n listens on port 8997 + n.
/// ORDER_HOST without ORDER_PORT takes the port of this replica's URL.
/// </summary>
internal static class ListenAddress
{
    public static void Apply(WebApplicationBuilder builder, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            return;
        }

        var options = new OrderOptions();
        builder.Configuration.GetSection(OrderOptions.SectionName).Bind(options);
        if (Resolve(options, environment("ORDER_HOST"), environment("ORDER_PORT")) is { } url)
        {
            builder.WebHost.UseUrls(url);
        }
    }

    public static string? Resolve(OrderOptions options, string? host, string? port)
    {
        // A wrong list fails validation at start; until then there is no address to offer.
        var self = ReplicaList.Parse(options.Replicas, "Orders:Replicas", []).FirstOrDefault(r => r.Id == options.ReplicaId);
        if (!string.IsNullOrWhiteSpace(host) || !string.IsNullOrWhiteSpace(port))
        {
            // ORDER_HOST alone (a container listening on every interface) keeps the port the list gives this replica.
            var defaultPort = self is null ? DefaultPorts.OrderReplica(Math.Max(options.ReplicaId, 1)) : new Uri(self.Url).Port;
            return $"http://{(string.IsNullOrWhiteSpace(host) ? "127.0.0.1" : host.Trim())}:{(string.IsNullOrWhiteSpace(port) ? defaultPort : port.Trim())}";
        }

        return self?.Url;
    }
}
