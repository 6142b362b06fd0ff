using System.Globalization;
using StockNet.Contracts;

namespace StockNet.Protocol;

/// <summary>One order replica: its id and base URL (no trailing slash, so it doubles as the leader_id on the wire).</summary>
public sealed record ReplicaAddress(int Id, string Url);

/// <summary>
/// Parses a replica list, as the front-end's <c>FrontEnd:OrderReplicas</c> and the replicas' <c>Orders:Replicas</c>
/// give it: comma-separated items, each a base URL (id = position + 1) or <c>id=url</c>. An empty item is an error,
/// not skipped, since it would shift every later position's id. Every problem is reported, not just the first, so
/// one start-up shows the whole fix.
/// </summary>
public static class ReplicaList
{
    /// <param name="text">The list.</param>
    /// <param name="setting">The setting's name, for the messages (such as "Orders:Replicas").</param>
    /// <param name="errors">Receives one sentence per problem.</param>
    public static IReadOnlyList<ReplicaAddress> Parse(string? text, string setting, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var replicas = new List<ReplicaAddress>();
        var items = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        if (items is [""])
        {
            errors.Add($"{setting} must name at least one order replica.");
            return replicas;
        }

        for (var position = 1; position <= items.Length; position++)
        {
            if (TryParseItem(items[position - 1], position, setting, errors) is { } replica)
            {
                replicas.Add(replica);
            }
        }

        foreach (var duplicate in replicas.GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"{setting} names replica id {duplicate.Key} more than once.");
        }

        errors.AddRange(ReplicaUrlSpelling.Check(setting, [.. replicas.Select(r => r.Url)]));
        return replicas;
    }

    /// <summary>An absolute http(s) URL without query or fragment: something a base URL can be.</summary>
    public static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>A base URL as replicas compare and send it: trimmed, without a trailing slash.</summary>
    public static string Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Trim().TrimEnd('/');
    }

    /// <summary>Two base URLs name the same replica when scheme, host and port agree (case-insensitive, trailing slash ignored).</summary>
    public static bool SameReplica(string? a, string? b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var left)
        && Uri.TryCreate(b, UriKind.Absolute, out var right)
        && Uri.Compare(left, right, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static ReplicaAddress? TryParseItem(string item, int position, string setting, List<string> errors)
    {
        var id = position;
        var url = item;
        var separator = item.IndexOf('=', StringComparison.Ordinal);
        if (separator >= 0)
        {
            url = item[(separator + 1)..].Trim();
            if (!int.TryParse(item[..separator].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) || id < 1)
            {
                errors.Add($"{setting} item {position} ('{item}') has no positive replica id before '='.");
                return null;
            }
        }

        if (!IsHttpUrl(url))
        {
            errors.Add(item.Length == 0
                ? $"{setting} item {position} is empty."
                : $"{setting} item {position} ('{item}') is not an absolute http(s) URL.");
            return null;
        }

        return new ReplicaAddress(id, Normalize(url));
    }
}
