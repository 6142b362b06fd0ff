using System.Globalization;

namespace StockNet.Contracts;

/// <summary>The wire details of the log exchange between order replicas (<see cref="Routes.LogSuffix"/>, <see cref="Routes.LogEntries"/>).</summary>
public static class LogSync
{
    /// <summary>Numbers per <c>POST /log/entries</c>: the asker pages a longer list.</summary>
    public const int MaxNumbers = 1_000;

    /// <summary>The epoch lines of <see cref="Routes.LogEpochsHeader"/>: <c>epoch:start,epoch:start</c>.</summary>
    public static string FormatEpochs(IEnumerable<EpochStart> lines) =>
        string.Join(',', lines.Select(line => string.Create(CultureInfo.InvariantCulture, $"{line.Epoch}:{line.Start}")));

    /// <summary>Null when the text is not a list of <c>epoch:start</c> pairs.</summary>
    public static List<EpochStart>? ParseEpochs(string? text)
    {
        var lines = new List<EpochStart>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split(':');
            if (pair.Length != 2
                || !long.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                return null;
            }

            lines.Add(new EpochStart(epoch, start));
        }

        return lines;
    }
}
