using System.Globalization;

namespace StockNet.LoadClient.Bench;

/// <summary>User plus system CPU time a process has used so far, from <c>/proc/&lt;pid&gt;/stat</c> (Linux; 0 elsewhere or once it is gone).</summary>
internal static class ProcessCpu
{
    public static double Seconds(int? processId)
    {
        var stat = $"/proc/{processId}/stat";
        if (processId is null || !File.Exists(stat))
        {
            return 0;
        }

        try
        {
            // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
            var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);

            // Linux reports in clock ticks of 1/100 s on every platform .NET runs on.
            return ticks / 100;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
