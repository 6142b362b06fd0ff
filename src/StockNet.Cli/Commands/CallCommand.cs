using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using StockNet.Cluster;
using StockNet.Contracts.Security;
using StockNet.Protocol;

namespace StockNet.Cli.Commands;

/// <summary>
/// <c>stocknet call METHOD URL [--data JSON | --data-file F]</c>: one request to any route of a service, signed with the
/// cluster key by the same handler the services sign their own calls with, so an operator can reach the internal
/// routes (a catalog trade, the journal, a replica's log, an invalidation) that refuse curl with 401. The status goes
/// to standard error and the body, as the service wrote it, to standard output (so it pipes into jq).
/// </summary>
internal static class CallCommand
{
    public const int Answered = 0;
    public const int Unusable = 2;
    public const int NoAnswer = 3;
    public const int ClientError = 4;
    public const int ServerError = 5;

    /// <param name="environment">Where the key's variables are read: the process environment unless a test hands in its own.</param>
    /// <param name="defaultDataRoot">The data directory whose key file is the last resort.</param>
    public static Command Create(Func<string, string?>? environment = null, string defaultDataRoot = ClusterOptions.DefaultDataRoot)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var method = new Argument<string>("method") { Description = "The HTTP method: GET, POST, ..." };
        method.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrEmpty(value) || !value.All(char.IsAsciiLetter))
            {
                result.AddError($"'{value}' is not an HTTP method such as GET or POST.");
            }
        });
        var url = new Argument<string>("url") { Description = "The whole URL of the route, such as http://127.0.0.1:8997/trades?after=0." };
        url.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!HttpUrl.TryParse(value, out _))
            {
                result.AddError(HttpUrl.Refusal(value));
            }
        });
        var data = new Option<string?>("--data") { Description = "The JSON body, sent as application/json." };
        var dataFile = new Option<string?>("--data-file") { Description = "A file holding the JSON body." };
        var keyFile = new Option<string?>("--key-file") { Description = $"The cluster key's file (default ${ClusterKey.FileVariable}, ${ClusterKey.Variable}, else ./{ClusterOptions.DefaultDataRoot}/{ClusterKey.FileName})." };
        var dataDir = new Option<string?>("--data-dir") { Description = $"The data directory of the 'stocknet up' whose {ClusterKey.FileName} to use." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds the whole exchange may take; nothing is retried.", DefaultValueFactory = _ => 5 };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 3600))
            {
                result.AddError("--timeout takes a number of seconds more than 0, up to 3600.");
            }
        });

        var command = new Command(
            "call",
            "Send one request signed with the cluster key to any route of a service (the internal ones refuse unsigned requests). "
            + "Exits 0 on a 2xx or 3xx (not followed), 4 on a 4xx, 5 on a 5xx, 3 with no answer, 2 without a usable key or body.")
        {
            method, url, data, dataFile, keyFile, dataDir, timeout,
        };
        command.Validators.Add(result =>
        {
            OneOf(result, data, dataFile);
            OneOf(result, keyFile, dataDir);
        });
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new CallRequest(
                parseResult.GetRequiredValue(method).ToUpperInvariant(),
                new Uri(parseResult.GetRequiredValue(url)),
                parseResult.GetValue(data),
                parseResult.GetValue(dataFile),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout))),
            () => OperatorKey.Find(parseResult.GetValue(keyFile), parseResult.GetValue(dataDir), environment, defaultDataRoot),
            parseResult.InvocationConfiguration,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CallRequest call, Func<ClusterKey?> findKey, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        ClusterKey? key;
        byte[]? body;
        try
        {
            key = findKey();
            body = ReadBody(call);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync(ex.Message);
            return Unusable;
        }

        if (key is null)
        {
            await console.Error.WriteLineAsync("No cluster key. " + OperatorKey.HowToGive);
            return Unusable;
        }

        using var clients = ProtocolClients.Create(http => http.ConnectTimeout = call.Timeout, key);
        var reply = await clients.Operator(call.Timeout).SendAsync(call.Method, call.Url, body, cancellationToken);
        if (!reply.Answered)
        {
            await console.Error.WriteLineAsync($"{call.Method} {call.Url}: no answer ({reply.NoAnswer}).");
            return NoAnswer;
        }

        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{reply.Status} {reply.Reason}"));
        if (reply.Body.Length > 0)
        {
            var text = Encoding.UTF8.GetString(reply.Body);
            await console.Output.WriteAsync(text);
            if (!text.EndsWith('\n'))
            {
                await console.Output.WriteLineAsync();
            }
        }

        return reply.Status switch
        {
            >= 500 => ServerError,
            >= 400 => ClientError,
            _ => Answered,
        };
    }

    // The bytes as given: a body is signed and sent exactly as the operator wrote it (the service judges the JSON).
    private static byte[]? ReadBody(CallRequest call) =>
        call.DataFile is not null ? File.ReadAllBytes(call.DataFile)
        : call.Data is not null ? Encoding.UTF8.GetBytes(call.Data)
        : null;

    private static void OneOf(CommandResult result, Option first, Option second)
    {
        if (result.GetResult(first) is { Implicit: false } && result.GetResult(second) is { Implicit: false })
        {
            result.AddError($"Give {first.Name} or {second.Name}, not both.");
        }
    }

    private sealed record CallRequest(string Method, Uri Url, string? Data, string? DataFile, TimeSpan Timeout);
}
