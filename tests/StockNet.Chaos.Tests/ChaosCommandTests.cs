using System.CommandLine;
using StockNet.Chaos;

namespace StockNet.Chaos.Tests;

public sealed class ChaosCommandTests
{
    [Fact]
    public void Bind_NoFlags_UsesDefaults()
    {
        var (options, errors) = ChaosCommand.Bind(ChaosCommand.Create().Parse("--seed 9"));

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Duration);
        Assert.Equal(4, options.Clients);
        Assert.Equal(9, options.Seed);
        Assert.Equal(TimeSpan.FromSeconds(2), options.FaultInterval);
        Assert.Null(options.Targets);
    }

    [Fact]
    public void Bind_BadValues_ReportsEveryError()
    {
        var (options, errors) = ChaosCommand.Bind(ChaosCommand.Create().Parse("--duration 0 --clients 0 --trade-probability 2 --frontend-url ftp://x"));

        Assert.Null(options);
        Assert.Equal(
            [
                "--duration: 0 must be a positive number of seconds.",
                "--clients: 0 must be 1 or more.",
                "--trade-probability: 2 must be from 0 to 1.",
                "--frontend-url, --catalog-url and --replica-urls go together: give all three, or none to start a cluster.",
            ],
            errors);
    }

    [Fact]
    public void Bind_PartitionWithoutHosts_Refused()
    {
        var (options, errors) = ChaosCommand.Bind(ChaosCommand.Create().Parse("--faults kill,partition"));

        Assert.Null(options);
        Assert.Contains(errors, error => error.Contains("--hosts", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_HostsFrontEndsAndFaults_Bound()
    {
        var (options, errors) = ChaosCommand.Bind(ChaosCommand.Create().Parse("--hosts --frontends 2 --faults kill,pause,partition,slow"));

        Assert.Empty(errors);
        Assert.True(options!.Hosts);
        Assert.Equal(2, options.FrontEnds);
        Assert.Equal([FaultKind.Kill, FaultKind.Pause, FaultKind.Partition, FaultKind.Slow], options.Faults);
    }

    [Fact]
    public void Bind_AllTargetUrls_TargetsThatCluster()
    {
        var (options, errors) = ChaosCommand.Bind(ChaosCommand.Create().Parse(
            "--frontend-url http://127.0.0.1:9001 --catalog-url http://127.0.0.1:8997 --replica-urls http://127.0.0.1:8998,http://127.0.0.1:8999"));

        Assert.Empty(errors);
        Assert.Equal(new Uri("http://127.0.0.1:9001"), options!.Targets!.FrontEnd);
        Assert.Equal([new Uri("http://127.0.0.1:8998"), new Uri("http://127.0.0.1:8999")], options.Targets.Replicas);
    }
}
