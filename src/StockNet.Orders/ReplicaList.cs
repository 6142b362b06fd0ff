using StockNet.Contracts;

namespace StockNet.Orders;

/// <summary>One replica of the cluster: its id and normalized base URL (no trailing slash).</summary>
public sealed record ReplicaAddress(int Id, string Url);

/// <summary>Parses <see cref="OrderOptions.Replicas"/>: "url,url,..." or "id=url,id=url,...".</summary>
public static class ReplicaList
{
    public static IReadOnlyList<ReplicaAddress> Parse(string? text, List<string> errors)
    {
        var replicas = new List<ReplicaAddress>();
        var items = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var position = 0; position < items.Length; position++)
        {
            var item = items[position];
            var id = position + 1;
            var url = item;
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                if (!int.TryParse(item.AsSpan(0, equals), out id) || id < 1)
                {
                    errors.Add($"Orders:Replicas item '{item}' has an id that is not a positive integer.");
                    continue;
                }

                url = item[(equals + 1)..].Trim();
            }

            if (!IsHttpUrl(url))
            {
                errors.Add($"Orders:Replicas item '{item}' is not an absolute http URL.");
                continue;
            }

            if (replicas.Exists(r => r.Id == id))
            {
                errors.Add($"Orders:Replicas names replica id {id} twice.");
                continue;
            }

            replicas.Add(new ReplicaAddress(id, Normalize(url)));
        }

        if (items.Length == 0)
        {
            errors.Add("Orders:Replicas lists no replica.");
        }

        errors.AddRange(ReplicaUrlSpelling.Check("Orders:Replicas", [.. replicas.Select(r => r.Url)]));
        return replicas;
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static string Normalize(string url) => url.Trim().TrimEnd('/');

    /// <summary>Two base URLs name the same replica when scheme, host and port agree (case-insensitive, trailing slash ignored).</summary>
    public static bool SameReplica(string? a, string? b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var left)
        && Uri.TryCreate(b, UriKind.Absolute, out var right)
        && Uri.Compare(left, right, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
