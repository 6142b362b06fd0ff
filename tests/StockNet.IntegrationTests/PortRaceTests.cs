using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using StockNet.Cluster;

namespace StockNet.IntegrationTests;

/// <summary>A start that lost its port to another process between probe and bind is started again on new ports; nothing else is.</summary>
public sealed class PortRaceTests
{
    [Fact]
    public async Task Lost_KestrelOnAPortAnotherSocketHolds_True()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        await using var app = SlimApp($"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.True(PortRace.Lost(failure), failure.ToString());
    }

    [Fact]
    public void Lost_OtherFailures_False()
    {
        Assert.False(PortRace.Lost(new IOException("disk full")));
        Assert.False(PortRace.Lost(new IOException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(PortRace.Lost(new ServiceStartException("catalog was not ready within 30 s.")));
    }

    [Fact]
    public async Task RetryAsync_PortLostTwice_StartedOnTheThirdAttempt()
    {
        var attempts = 0;

        var result = await PortRace.RetryAsync(() => ++attempts < 3 ? throw PortTaken() : Task.FromResult(attempts));

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task RetryAsync_PortLostEveryTime_LastLossAfterAllAttempts()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<IOException>(() => PortRace.RetryAsync(() =>
        {
            attempts++;
            return Task.FromException(PortTaken());
        }));

        Assert.Equal(PortRace.Attempts, attempts);
    }

    [Fact]
    public async Task RetryAsync_AnyOtherFailure_NotTriedAgain()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => PortRace.RetryAsync(() =>
        {
            attempts++;
            return Task.FromException(new InvalidOperationException("the service under test failed"));
        }));

        Assert.Equal(1, attempts);
    }

    // Kestrel's shape: an IOException around its AddressInUseException, around the socket's error.
    private static IOException PortTaken() =>
        new("Failed to bind to address: address already in use.", new InvalidOperationException("in use", new SocketException((int)SocketError.AddressAlreadyInUse)));

    private static WebApplication SlimApp(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        return builder.Build();
    }
}
