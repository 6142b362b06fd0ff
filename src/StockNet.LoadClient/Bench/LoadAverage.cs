using System.Globalization;

namespace StockNet.LoadClient.Bench;

/// <summary>The machine's 1-minute load average (Linux), printed beside every figure taken on a shared machine.</summary>
public static class LoadAverage
{
    /// <summary>NaN where /proc/loadavg cannot be read.</summary>
    public static double Now()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}
