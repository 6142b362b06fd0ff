using System.Globalization;
using System.Net;

namespace StockNet.LoadClient.Bench;

/// <summary>
/// A local OTLP/HTTP receiver for the telemetry-overhead bench: it reads every export whole (so the services'
/// exporters do all their work) and answers 200, counting requests and bytes. It keeps nothing and parses
/// nothing. It runs in a process of its own (<c>stocknet otlp-sink</c>, see <see cref="OtlpSinkProcess"/>), so
/// the CPU it spends receiving is measured apart from the services' and the load generator's.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private long _requests;
    private long _bytes;

    private OtlpSink(int port)
    {
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The line the sink process prints when it stops, which <see cref="OtlpSinkProcess"/> reads back.</summary>
    public string Summary => FormattableString.Invariant($"{SummaryPrefix}{Requests} {Bytes}");

    /// <summary>The hidden <c>stocknet</c> command that runs a sink.</summary>
    public const string CommandName = "otlp-sink";

    internal const string SummaryPrefix = CommandName + " received ";

    public static OtlpSink Start(int port) => new(port);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[64 * 1024];
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            int read;
            while ((read = await context.Request.InputStream.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref _bytes, read);
            }

            // Any GET (the readiness probe of the process that started it) is answered 200 and not counted.
            if (context.Request.HttpMethod == "POST")
            {
                Interlocked.Increment(ref _requests);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
