using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StockNet.Contracts;

namespace StockNet.Hosting.Security;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by client address: a token bucket (the average rate) chained with a
/// concurrency limit (requests in flight), both per client, so one flooding client exhausts only its own share.
/// Signed cluster requests pass unlimited. A refusal is a 429 with the JSON error and Retry-After.
/// </summary>
internal static class ClientRateLimits
{
    // Partition keys no connection's remote address can be (the unspecified addresses), for the signed cluster
    // requests and for a connection without an address.
    private static readonly IPAddress _clusterPartition = IPAddress.IPv6Any;
    private static readonly IPAddress _unknownClient = IPAddress.Any;

    public static ClientRateLimitOptions Add(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ClientRateLimitOptions.SectionName).Get<ClientRateLimitOptions>() ?? new();
        var proxies = Validate(options);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PerClient(options);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => WriteRejectionAsync(context);
        });
        if (proxies.Count > 0)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                // Only the configured proxies: the defaults would trust any loopback sender.
                forwarded.KnownIPNetworks.Clear();
                forwarded.KnownProxies.Clear();
                proxies.ForEach(forwarded.KnownProxies.Add);
                forwarded.ForwardLimit = 1;
            });
        }

        return options;
    }

    private static List<IPAddress> Validate(ClientRateLimitOptions options)
    {
        var errors = new List<string>();
        if (options.PermitsPerSecond < 0)
        {
            errors.Add("RateLimit:PermitsPerSecond must be 0 (off) or more.");
        }

        if (options.Burst < 0)
        {
            errors.Add("RateLimit:Burst must be 0 (the same as PermitsPerSecond) or more.");
        }

        if (options.QueuedRequests < 0)
        {
            errors.Add("RateLimit:QueuedRequests must be 0 (refuse at once) or more.");
        }

        if (options.ConcurrentRequests < 1)
        {
            errors.Add("RateLimit:ConcurrentRequests must be at least 1.");
        }

        var proxies = new List<IPAddress>();
        foreach (var proxy in options.TrustedProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                errors.Add($"RateLimit:TrustedProxies holds '{proxy}', which is not an IP address.");
            }
        }

        // Every error at once, so one start shows all that is wrong.
        return errors.Count == 0 ? proxies : throw new InvalidOperationException(string.Join(" ", errors));
    }

    // Two partitioned limiters chained, each keyed by the client's address (Kestrel keeps one per connection, so
    // finding a partition allocates nothing). Not one partition holding RateLimiter.CreateChained(bucket, concurrency):
    // a chained limiter does not dispose the limiters inside it, so every idle partition the partitioned limiter
    // evicted would leave its token bucket's replenishment timer running, a hundred times a second, for ever.
    private static PartitionedRateLimiter<HttpContext> PerClient(ClientRateLimitOptions options) =>
        options.PermitsPerSecond == 0
            ? Concurrency(options)
            : PartitionedRateLimiter.CreateChained(Rate(options), Concurrency(options));

    private static PartitionedRateLimiter<HttpContext> Rate(ClientRateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, IPAddress>(context => Client(context) is not { } client
            ? RateLimitPartition.GetNoLimiter(_clusterPartition)
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => TokenBucket(options)));

    private static PartitionedRateLimiter<HttpContext> Concurrency(ClientRateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, IPAddress>(context => Client(context) is not { } client
            ? RateLimitPartition.GetNoLimiter(_clusterPartition)
            : RateLimitPartition.GetConcurrencyLimiter(client, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.ConcurrentRequests,
                QueueLimit = 0,
            }));

    private static TokenBucketRateLimiterOptions TokenBucket(ClientRateLimitOptions options)
    {
        // Refill a hundred times a second, so that a waiting request waits about 10 ms, not up to a whole second.
        var tokensPerPeriod = Math.Max(1, options.PermitsPerSecond / 100);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst > 0 ? options.Burst : options.PermitsPerSecond,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / options.PermitsPerSecond),
            QueueLimit = options.QueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
    }

    /// <summary>The client's partition; null for a signed cluster request.</summary>
    private static IPAddress? Client(HttpContext context) => context.User.Identity?.IsAuthenticated == true
        ? null
        : context.Connection.RemoteIpAddress ?? _unknownClient;

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await ApiResults.WriteErrorAsync(
            rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests from this client; slow down and retry after the Retry-After seconds.", ErrorTypes.RateLimited);
    }
}
