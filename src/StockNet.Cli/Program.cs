using System.CommandLine;
using StockNet.Cli.Commands;

var root = StockNetRoot.Create();

// No termination timeout: the services and 'up' handle SIGINT/SIGTERM themselves and must finish their shutdown.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
