using System.CommandLine;

namespace StockNet.Cli.Commands;

/// <summary>The <c>stocknet</c> command and its subcommands, one line each.</summary>
internal static class StockNetRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Stock Net: a replicated stock-trading backend. Run one service, or the whole cluster with 'up'.");
        root.Subcommands.Add(CatalogCommand.Create());
        root.Subcommands.Add(OrderCommand.Create());
        root.Subcommands.Add(FrontEndCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(CallCommand.Create());
        root.Subcommands.Add(StockNet.LoadClient.LoadCommand.Create());
        root.Subcommands.Add(StockNet.LoadClient.Bench.BenchCommand.Create());
        root.Subcommands.Add(StockNet.Chaos.ChaosCommand.Create());
        root.Subcommands.Add(OtlpSinkCommand.Create());
        RootHelpAction.Install(root);
        return root;
    }
}
