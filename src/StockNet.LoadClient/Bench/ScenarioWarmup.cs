using StockNet.Protocol;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// A scenario run unmeasured at the highest concurrency before it is measured on a cluster. The runtime compiles each
/// method first quickly and unoptimized, and recompiles the ones in use, optimized, in the background: on a fresh
/// cluster a trade costs about seven times the CPU of a trade a few thousand trades later, and a warm-up of a second
/// or so measured that catching up (docs/benchmarks.md, "Why our client saw less than wrk").
/// </summary>
public static class ScenarioWarmup
{
    public static async Task RunAsync(
        Uri frontEnd, BenchScenario scenario, ThroughputScenarios scenarios, BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.ScenarioWarmup <= TimeSpan.Zero)
        {
            return;
        }

        var connections = options.Connections.Max();
        using var clients = ProtocolClients.Create(http => http.MaxConnectionsPerServer = connections);
        var client = clients.FrontEnd(frontEnd, options.Timeout);
        await ClosedLoop.RunAsync(
            "warm-up", connections, TimeSpan.Zero, options.ScenarioWarmup, scenarios.Operation(scenario, client), cancellationToken);
    }
}
