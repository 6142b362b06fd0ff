using System.Globalization;
using StockNet.Contracts;

namespace StockNet.FrontEnd.Leadership;

/// <summary>
/// Parses <see cref="FrontEndOptions.OrderReplicas"/>: comma-separated items, each a base URL (id = position + 1)
/// or <c>id=url</c>. Every problem is reported, not just the first, so one start-up shows the whole fix.
/// </summary>
public static class ReplicaList
{
    public static IReadOnlyList<ReplicaEndpoint> Parse(string? text, List<string> errors)
    {
        var replicas = new List<ReplicaEndpoint>();
        var items = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        if (items is [""])
        {
            errors.Add("FrontEnd:OrderReplicas must name at least one order replica.");
            return replicas;
        }

        for (var position = 0; position < items.Length; position++)
        {
            if (TryParseItem(items[position], position + 1, errors) is { } replica)
            {
                replicas.Add(replica);
            }
        }

        foreach (var duplicate in replicas.GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"FrontEnd:OrderReplicas names replica id {duplicate.Key} more than once.");
        }

        errors.AddRange(ReplicaUrlSpelling.Check("FrontEnd:OrderReplicas", [.. replicas.Select(r => r.BaseUrl)]));
        return replicas;
    }

    private static ReplicaEndpoint? TryParseItem(string item, int position, List<string> errors)
    {
        var id = position;
        var url = item;
        var separator = item.IndexOf('=', StringComparison.Ordinal);
        if (separator >= 0)
        {
            url = item[(separator + 1)..].Trim();
            if (!int.TryParse(item[..separator].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) || id < 1)
            {
                errors.Add($"FrontEnd:OrderReplicas item {position} ('{item}') has no positive replica id before '='.");
                return null;
            }
        }

        if (!IsHttpUrl(url))
        {
            errors.Add($"FrontEnd:OrderReplicas item {position} ('{item}') is not an absolute http(s) URL.");
            return null;
        }

        return new ReplicaEndpoint(id, url.TrimEnd('/'));
    }

    internal static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Two base URLs name the same replica when scheme, host and port agree (case-insensitive, trailing slash ignored).</summary>
    public static bool SameReplica(string? a, string? b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var left)
        && Uri.TryCreate(b, UriKind.Absolute, out var right)
        && Uri.Compare(left, right, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
