using System.CommandLine;

namespace StockNet.LoadClient;

/// <summary>The load client's commands for the <c>stocknet</c> CLI: <c>load</c> and <c>bench</c>.</summary>
public static class LoadCommands
{
    public static IEnumerable<Command> Create() => [LoadCommand.Create(), Bench.BenchCommand.Create()];
}
