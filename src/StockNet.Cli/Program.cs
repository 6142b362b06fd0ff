using System.CommandLine;
using Spectre.Console;
using StockNet.Cli;
using StockNet.Cli.Commands;

// Every command that draws tables writes to this one console; piped or logged, it would wrap them at 80 columns.
ConsoleWidth.EnsureWideWhenRedirected(AnsiConsole.Console);
var root = StockNetRoot.Create();

// No termination timeout: the services and 'up' handle SIGINT/SIGTERM themselves and must finish their shutdown.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
