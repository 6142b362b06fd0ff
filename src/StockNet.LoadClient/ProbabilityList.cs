using System.Globalization;

namespace StockNet.LoadClient;

/// <summary>Parses the trade-probability sweep, such as <c>0,0.2,0.4</c>: each value from 0 to 1, no duplicates.</summary>
public static class ProbabilityList
{
    public static readonly IReadOnlyList<double> Default = [0, 0.2, 0.4, 0.6, 0.8];

    /// <summary>Parses the list, collecting a sentence for every bad entry rather than stopping at the first.</summary>
    public static bool TryParse(string text, out IReadOnlyList<double> values, out IReadOnlyList<string> errors)
    {
        var parsed = new List<double>();
        var problems = new List<string>();
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !double.IsFinite(p))
            {
                problems.Add($"--p: '{part}' is not a number.");
            }
            else if (p is < 0 or > 1)
            {
                problems.Add($"--p: {part} is not a probability from 0 to 1.");
            }
            else if (parsed.Contains(p))
            {
                problems.Add($"--p: {part} is listed twice.");
            }
            else
            {
                parsed.Add(p);
            }
        }

        values = parsed;
        errors = problems;
        return problems.Count == 0;
    }

    public static string Format(double p) => p.ToString("0.###", CultureInfo.InvariantCulture);
}
