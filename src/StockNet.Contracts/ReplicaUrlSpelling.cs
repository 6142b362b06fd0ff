using System.Net;

namespace StockNet.Contracts;

/// <summary>
/// A replica knows itself, and its peers know each other, by comparing base URLs, and the front-end names the
/// leader by its URL in its own list. A list that spells one host two ways (localhost and 127.0.0.1), names one
/// address twice, or mixes loopback with other hosts (where 127.0.0.1 means "this container", not the peer)
/// would start and then fail at the first election; this finds such a list at start-up.
/// </summary>
public static class ReplicaUrlSpelling
{
    /// <summary>Every spelling problem of <paramref name="urls"/> (absolute URLs), each as a sentence naming <paramref name="key"/>.</summary>
    public static IEnumerable<string> Check(string key, IReadOnlyList<string> urls)
    {
        var uris = urls.Select(url => new Uri(url)).ToList();
        var loopbackSpellings = uris.Where(IsLoopback).Select(uri => uri.Host).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (loopbackSpellings.Count > 1)
        {
            yield return $"{key} spells this machine {string.Join(" and ", loopbackSpellings)}: spell each host one way in every list, because replicas recognise each other by URL.";
        }

        var others = uris.Where(uri => !IsLoopback(uri)).Select(uri => uri.Host).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (loopbackSpellings.Count > 0 && others.Count > 0)
        {
            yield return $"{key} mixes {loopbackSpellings[0]} with {string.Join(", ", others)}: on a network of hosts or containers {loopbackSpellings[0]} names each service itself, so give every replica an address its peers reach.";
        }

        foreach (var twice in uris.GroupBy(Address, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            yield return $"{key} names {twice.First().Authority} {twice.Count()} times: each replica needs an address of its own.";
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    // Loopback spellings count as one host here, so 127.0.0.1:8998 and localhost:8998 are one address.
    private static string Address(Uri uri) => $"{(IsLoopback(uri) ? "loopback" : uri.IdnHost)}:{uri.Port}";
}
