using System.CommandLine;
using System.Runtime.InteropServices;
using StockNet.LoadClient.Bench;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet otlp-sink --port N</c> (hidden): the telemetry-overhead bench's OTLP/HTTP receiver, in a process of
/// its own so its CPU is measured apart. It runs until SIGTERM, SIGINT or its parent's exit, then prints what it
/// received.
/// </summary>
internal static class OtlpSinkCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The loopback port to listen on.", Required = true };
        var parentPid = ServiceCommand.ParentPid();
        var command = new Command(OtlpSink.CommandName, "An OTLP/HTTP sink that reads every export and keeps nothing (for bench --telemetry-overhead).")
        {
            Hidden = true,
        };
        command.Options.Add(port);
        command.Options.Add(parentPid);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var parent = ParentWatch.Start(parseResult.GetValue(parentPid), cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(parent.Token);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
            await using (var sink = OtlpSink.Start(parseResult.GetValue(port)))
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Asked to stop.
                }

                Console.WriteLine(sink.Summary);
            }

            return 0;
        });
        return command;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
