using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StockNet.Hosting;

namespace StockNet.FrontEnd.Tests.Api;

/// <summary>
/// Kestrel's socket transport options bind from <see cref="StockNetHosting.SocketsSection"/>, as every service builds its
/// host; the front-end stands for all three here (they share StockNetHosting.CreateBuilder).
/// </summary>
public sealed class SocketsSectionTests
{
    [Fact]
    public async Task SocketsSection_SetOnTheCommandLine_BindsKestrelsTransportOptions()
    {
        await using var app = Build(
            $"--{StockNetHosting.SocketsSection}:IOQueueCount=3", $"--{StockNetHosting.SocketsSection}:UnsafePreferInlineScheduling=true");

        var options = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(3, options.IOQueueCount);
        Assert.True(options.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task SocketsSection_Unset_LeavesKestrelsDefaults()
    {
        await using var app = Build();

        var options = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        var defaults = new SocketTransportOptions();

        Assert.Equal(defaults.IOQueueCount, options.IOQueueCount);
        Assert.Equal(defaults.UnsafePreferInlineScheduling, options.UnsafePreferInlineScheduling);
    }

    // Built, never started: the options are what the transport would be given.
    private static Microsoft.AspNetCore.Builder.WebApplication Build(params string[] extra) => FrontEndApp.Build(
    [
        "--urls", "http://127.0.0.1:0",
        "--FrontEnd:CatalogUrl=http://127.0.0.1:1",
        "--FrontEnd:OrderReplicas=http://127.0.0.1:1",
        "--Logging:LogLevel:Default=Warning",
        $"--Cluster:Key={FrontEndHost.KeyText}",
        .. extra,
    ]);
}
