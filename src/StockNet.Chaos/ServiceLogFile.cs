using System.Globalization;

namespace StockNet.Chaos;

/// <summary>Every service's output in one file, each line stamped with the UTC time, so a violation can be traced back to its fault.</summary>
internal sealed class ServiceLogFile(string path) : IDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _gate = new();

    public void Write(string line)
    {
        var stamped = DateTime.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + line;
        lock (_gate)
        {
            _writer.WriteLine(stamped);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
