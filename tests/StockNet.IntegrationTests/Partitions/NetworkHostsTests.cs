using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StockNet.Cluster.Network;
using StockNet.IntegrationTests.Infrastructure;

namespace StockNet.IntegrationTests.Partitions;

/// <summary>The namespace harness itself: it leaves nothing behind, and removes what a dead run left.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NetworkHostsTests
{
    [Fact(Timeout = 60_000)]
    public async Task CreateAndDispose_HostsReachableThenEverythingRemoved()
    {
        await SkipUnlessAvailableAsync();
        var network = await NetworkHosts.CreateAsync(["alpha", "beta"]);
        string[] namespaces;
        try
        {
            namespaces = [.. network.Hosts.Select(host => host.Namespace)];
            Assert.All(namespaces, name => Assert.Contains(name, ListNamespaces()));
            Assert.Equal(0, (await Run("ip", "netns", "exec", network["alpha"].Namespace, "ip", "addr", "show", "dev", "eth0")).Code);
            await network.CutAsync("alpha", "beta", CutDirection.Both);
            Assert.Equal(2, await network.CountRulesAsync());
            await network.HealAsync();
            Assert.Equal(0, await network.CountRulesAsync());
        }
        finally
        {
            await network.DisposeAsync();
        }

        Assert.All(namespaces, name => Assert.DoesNotContain(name, ListNamespaces()));
        Assert.NotEqual(0, (await Run("ip", "link", "show", network.BridgeName)).Code);
    }

    [Fact(Timeout = 60_000)]
    public async Task SlowAsync_EveryPacketHeldBothWays_HealRemovesEverything()
    {
        await SkipUnlessAvailableAsync();
        await using var network = await NetworkHosts.CreateAsync(["delta"]);
        if (!network.CanDelay)
        {
            Assert.Skip("Neither netem nor an NFQUEUE delayer (libnetfilter-queue1, iptables) works here.");
        }

        var delay = TimeSpan.FromMilliseconds(100);
        await network.SlowAsync("delta", delay, lossPercent: 0);
        var roundTrip = await ConnectionRefusedAfterAsync(network["delta"].Address);
        Assert.NotEqual(0, await network.CountRulesAsync());
        await network.HealAsync();

        // A lower bound, which load cannot break: the SYN is held on its way in and the RST on its way out.
        Assert.True(roundTrip >= 2 * delay, $"a round trip through the slowed link took {roundTrip.TotalMilliseconds:0} ms");
        Assert.Equal(0, await network.CountRulesAsync());
        await ConnectionRefusedAfterAsync(network["delta"].Address);
    }

    [Fact(Timeout = 60_000)]
    public async Task Create_NamespaceOfDeadRun_Removed()
    {
        await SkipUnlessAvailableAsync();
        // No process has this id (Linux pids stop at 4,194,304), so the run that "made" it is dead.
        const string Stale = "sn99999999a-catalog";
        Assert.Equal(0, (await Run("ip", "netns", "add", Stale)).Code);

        await using (await NetworkHosts.CreateAsync(["gamma"]))
        {
            Assert.DoesNotContain(Stale, ListNamespaces());
        }
    }

    private static async Task SkipUnlessAvailableAsync()
    {
        if (await NetworkHosts.UnavailableReasonAsync() is { } reason)
        {
            Assert.Skip("Network namespaces are not available here: " + reason);
        }
    }

    // Nothing listens on the service port of a host without a service, so its kernel answers a SYN with a RST at once.
    private static async Task<TimeSpan> ConnectionRefusedAfterAsync(string address)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<SocketException>(
            () => socket.ConnectAsync(IPAddress.Parse(address), NetworkHosts.ServicePort, TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        return clock.Elapsed;
    }

    private static List<string> ListNamespaces() =>
        [.. Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>() : []];

    private static async Task<(int Code, string Output)> Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output);
    }
}
