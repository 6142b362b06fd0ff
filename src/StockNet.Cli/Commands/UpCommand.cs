using System.CommandLine;
using System.Runtime.InteropServices;
using StockNet.Cluster;
using StockNet.Contracts;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet up</c>: the whole cluster on 127.0.0.1 at the default ports, as child processes of this
/// executable, with their logs streamed under a prefix. A child that exits by itself is restarted with backoff
/// (<c>--restart on-failure</c>, the default). Ctrl+C or SIGTERM stops every child, restarted ones included;
/// the children also watch this process, so even a SIGKILL of <c>up</c> leaves no service behind.
/// </summary>
internal static class UpCommand
{
    public const int StartFailed = 1;

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "The data root: catalog/ and order-{id}/ live under it.", DefaultValueFactory = _ => ClusterOptions.DefaultDataRoot };
        var fresh = new Option<bool>("--fresh") { Description = "Wipe the data root first." };
        var cache = ServiceCommand.Switch("--cache", "The front-end's lookup cache (and the catalog's invalidations): on or off.");
        var cacheSize = new Option<int>("--cache-size") { Description = "The front-end's cache entries.", DefaultValueFactory = _ => 5 };
        var replication = new Option<string>("--replication") { Description = "sync or async replication between order replicas.", DefaultValueFactory = _ => "sync" }
            .AcceptOnlyFromAmong("sync", "async");
        var frontEnds = new Option<int>("--frontends") { Description = "How many front-ends (the first on :9001, the next on :9002..); each has its own cache.", DefaultValueFactory = _ => 1 };
        frontEnds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 8)
            {
                result.AddError("--frontends must be 1..8.");
            }
        });
        var restart = new Option<string>("--restart")
        {
            Description = "on-failure: restart a service that exits by itself (a crash, a kill), after 1 s, doubling up to 30 s while it keeps failing; no: leave it dead.",
            DefaultValueFactory = _ => "on-failure",
        }.AcceptOnlyFromAmong("on-failure", "no");
        var freePorts = new Option<bool>("--free-ports") { Description = "Listen on free ports instead of 8997-9001 (printed at start), when those are taken." };
        var command = new Command("up", "Start the catalog, three order replicas and the front-ends, and restart any that dies; Ctrl+C stops them all.")
        {
            dataDir, fresh, cache, cacheSize, replication, restart, freePorts, frontEnds,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = parseResult.GetRequiredValue(dataDir);
            DataLock dataRootLock;
            try
            {
                dataRootLock = await DataRoot.ClaimAsync(
                    root, parseResult.GetValue(fresh), DataRoot.ServiceExitWait, cancellationToken, parseResult.InvocationConfiguration.Output.WriteLine);
            }
            catch (DataRootRefusedException ex)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
                return StartFailed;
            }

            // Held until this command ends: nothing below (the wipe, the key, the token, the services) may meet another up's,
            // and no service of an earlier one still runs on these files (the claim waited for them).
            using var heldUntilExit = dataRootLock;
            var token = MetricsTokenFile.LoadOrCreate(root, parseResult.GetValue(fresh));
            return await RunAsync(
                new ClusterOptions
                {
                    DataRoot = root,
                    Fresh = parseResult.GetValue(fresh),
                    Environment = new Dictionary<string, string?> { ["Metrics__Token"] = token },
                    CacheEnabled = parseResult.GetValue(cache) != "off",
                    CacheCapacity = parseResult.GetValue(cacheSize),
                    Replication = parseResult.GetRequiredValue(replication) == "sync" ? ReplicationMode.Sync : ReplicationMode.Async,
                    Restart = parseResult.GetRequiredValue(restart) == "no" ? RestartPolicy.No : RestartPolicy.OnFailure,
                    UseFreePorts = parseResult.GetValue(freePorts),
                    FrontEnds = parseResult.GetValue(frontEnds),
                    LogSink = Console.Out.WriteLine,
                },
                token,
                cancellationToken);
        });
        return command;
    }

    /// <summary>What to do when a service could not bind its default port: the service's own lines only say the address is in use.</summary>
    internal static string? PortTakenHint(bool portInUse, bool freePorts) => portInUse && !freePorts
        ? $"A port of {DefaultPorts.Catalog}-{DefaultPorts.FrontEnd} is taken (another Stock Net, or another program: 'ss -ltnp' names it). "
            + "Stop it, or start with --free-ports to listen on free ports (printed at start)."
        : null;

    private static async Task<int> RunAsync(ClusterOptions options, string metricsToken, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => StopOnSignal(context, stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => StopOnSignal(context, stop));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => StopOnSignal(context, stop));

        await using var cluster = new LocalCluster(StockNetExecutable.FromCurrentProcess(), options);
        try
        {
            await cluster.StartAsync(stop.Token);
        }
        catch (ServiceStartException ex)
        {
            await Console.Error.WriteLineAsync("Stock Net did not start: " + ex.Message);
            if (PortTakenHint(ex.PortInUse, options.UseFreePorts) is { } hint)
            {
                await Console.Error.WriteLineAsync(hint);
            }

            return StartFailed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Interrupted while starting; stopping.");
            return StartFailed;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("Stock Net did not start: " + ex.Message);
            return StartFailed;
        }

        // Only now: a failure while starting is reported once, by StartAsync, with the service's last lines.
        // And not once stopping: Ctrl+C in a terminal signals the whole process group, children included.
        cluster.ServiceExited += (service, exitCode) =>
        {
            if (!stop.IsCancellationRequested && options.Restart == RestartPolicy.No)
            {
                ReportDeath(service, exitCode);
            }
        };
        cluster.ServiceRestarting += notice =>
        {
            if (!stop.IsCancellationRequested)
            {
                ReportRestarting(notice);
            }
        };
        cluster.ServiceRestarted += ReportRestarted;

        // Written once started: --fresh wipes the data root while starting.
        var tokenPath = MetricsTokenFile.Save(cluster.Layout.DataRoot, metricsToken);
        PrintReady(cluster, options, metricsToken, tokenPath);
        await WaitUntilStoppedAsync(stop.Token);
        await Console.Out.WriteLineAsync("Stopping Stock Net...");
        await cluster.StopAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync("Stopped.");
        return 0;
    }

    private static void StopOnSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Keep the process alive until every child is stopped.
        context.Cancel = true;
        stop.Cancel();
    }

    private static void ReportDeath(ServiceProcess service, int exitCode) => Console.Error.WriteLine(
        $"!!! {service.Name} DIED (exit code {exitCode}); the cluster runs without it (--restart no). Its last lines:{Environment.NewLine}{LastLines(service)}");

    private static void ReportRestarting(RestartNotice notice) => Console.Error.WriteLine(
        $"!!! {notice.Service.Name} exited (code {notice.ExitCode}); restarting it in {notice.Delay.TotalSeconds:0.#} s (restart {notice.Attempt} in a row). Its last lines:{Environment.NewLine}{LastLines(notice.Service)}");

    private static void ReportRestarted(ServiceProcess service) => Console.Error.WriteLine(
        $"!!! {service.Name} restarted: pid {service.ProcessId}, ready at {service.BaseUrl.GetLeftPart(UriPartial.Authority)}.");

    private static string LastLines(ServiceProcess service) => string.Join(Environment.NewLine, service.RecentLogs(20));

    private static void PrintReady(LocalCluster cluster, ClusterOptions options, string metricsToken, string tokenPath)
    {
        foreach (var service in cluster.Services)
        {
            Console.WriteLine($"{service.Name,-10} {service.BaseUrl.GetLeftPart(UriPartial.Authority)}  pid {service.ProcessId}");
        }

        Console.WriteLine($"Data in {cluster.Layout.DataRoot}.");
        Console.WriteLine(options.Restart == RestartPolicy.OnFailure
            ? "A service that dies is restarted; to restart one by hand, kill its pid (kill <pid>)."
            : "A service that dies stays dead (--restart no).");
        var api = string.Join(", ", cluster.FrontEnds.Select(frontEnd => frontEnd.BaseUrl.GetLeftPart(UriPartial.Authority)));
        foreach (var frontEnd in cluster.FrontEnds)
        {
            Console.WriteLine($"Dashboard: {frontEnd.BaseUrl.GetLeftPart(UriPartial.Authority)}{Routes.Dashboard}?token={metricsToken}");
        }

        Console.WriteLine($"Read-only token for /metrics, /status and the dashboard (never the cluster key): {tokenPath}");
        Console.WriteLine($"Stock Net is up: the public API is {api}. Ctrl+C stops it.");
    }

    private static async Task WaitUntilStoppedAsync(CancellationToken stopToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stopToken);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }
}
