using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using StockNet.Catalog;
using StockNet.FrontEnd;
using StockNet.FrontEnd.Caching;
using StockNet.FrontEnd.Leadership;
using StockNet.Hosting.Security;
using StockNet.Hosting.Telemetry;
using StockNet.Orders;

namespace StockNet.Architecture.Tests;

/// <summary>
/// The README's configuration table lists every setting of every options class with its true default, and no
/// setting of those sections that does not exist. The test-only sections (<c>Catalog:Testing</c>,
/// <c>Orders:Testing</c>) are left to docs/design.md on purpose.
/// </summary>
public sealed partial class ReadmeSettingsTests
{
    private static readonly object[] OptionsClasses =
    [
        new CatalogOptions(), new OrderOptions(), new FrontEndOptions(), new CacheOptions(), new LeaderElectionOptions(),
        new TelemetryOptions(), new ClusterSecurityOptions(), new ClientRateLimitOptions(),
    ];

    [Fact]
    public void Readme_ListsEverySetting()
    {
        var table = ReadTable();

        var missing = Settings().Select(setting => setting.Key).Where(key => !table.Keys.Any(row => row == key || row.StartsWith(key + ":", StringComparison.Ordinal))).ToList();

        Assert.True(missing.Count == 0, "Settings missing from the README's configuration table (add a row: service, setting, default, seed alias, meaning): " + string.Join(", ", missing));
    }

    [Fact]
    public void Readme_ListsNoSettingThatDoesNotExist()
    {
        var keys = Settings().Select(setting => setting.Key).ToList();
        var sections = keys.Select(key => key[..key.IndexOf(':', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

        var stale = ReadTable().Keys
            .Where(row => row.Contains(':', StringComparison.Ordinal) && sections.Contains(row[..row.IndexOf(':', StringComparison.Ordinal)]))
            .Where(row => !keys.Any(key => row == key || row.StartsWith(key + ":", StringComparison.Ordinal)))
            .ToList();

        Assert.True(stale.Count == 0, "README settings that no options class has: " + string.Join(", ", stale));
    }

    [Fact]
    public void Readme_DefaultsAreTheOptionsDefaults()
    {
        var table = ReadTable();

        var wrong = Settings()
            .Where(setting => table.TryGetValue(setting.Key, out var cell) && !Agrees(cell, setting.Property.PropertyType, setting.Default))
            .Select(setting => $"{setting.Key}: README says '{table[setting.Key]}', the code '{setting.Default}'")
            .ToList();

        Assert.True(wrong.Count == 0, "README defaults that differ from the code:\n" + string.Join("\n", wrong));
    }

    private static IEnumerable<(string Key, PropertyInfo Property, object? Default)> Settings() =>
        OptionsClasses.SelectMany(defaults =>
        {
            var type = defaults.GetType();
            var section = (string)type.GetField("SectionName")!.GetRawConstantValue()!;
            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.SetMethod is { IsPublic: true })
                .Select(property => ($"{section}:{property.Name}", property, property.GetValue(defaults)));
        });

    // "none", "required" and "off" name the empty value; a template ({id}), an abbreviation (":8998,...") or another
    // setting's name is prose; anything else must parse to the code's value.
    private static bool Agrees(string cell, Type type, object? value)
    {
        if (cell is "none" or "required")
        {
            return value is null or 0 || (value is ICollection { Count: 0 });
        }

        if (cell is "off" or "on")
        {
            return value is bool flag && flag == (cell == "on");
        }

        if (cell.Contains('{', StringComparison.Ordinal) || cell.StartsWith(':') || Settings().Any(setting => setting.Property.Name == cell))
        {
            return true;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        var parsed = target == typeof(TimeSpan) ? TimeSpan.Parse(cell, CultureInfo.InvariantCulture)
            : target.IsEnum ? Enum.Parse(target, cell)
            : target == typeof(string) ? cell
            : Convert.ChangeType(cell, target, CultureInfo.InvariantCulture);
        return parsed.Equals(value);
    }

    /// <summary>Each setting named in the setting column (in backticks) to its default, from the table under "## Configuration".</summary>
    private static Dictionary<string, string> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "README.md"));
        var start = Array.IndexOf(lines, "## Configuration");
        Assert.True(start >= 0, "README.md has no '## Configuration' section.");
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4)
            {
                continue;
            }

            foreach (Match name in Quoted().Matches(cells[2]))
            {
                table[name.Groups[1].Value] = cells[3].Trim('`');
            }
        }

        return table;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();
}
