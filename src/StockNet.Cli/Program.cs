using System.CommandLine;
using StockNet.Cli.Commands;

var root = new RootCommand("Stock Net: a replicated stock-trading backend. Run one service, or the whole cluster with 'up'.");
// One line per command.
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

// No termination timeout: the services and 'up' handle SIGINT/SIGTERM themselves and must finish their shutdown.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
