using System.Globalization;
using CsCheck;
using StockNet.Contracts;
using StockNet.Security.Tests.Infrastructure;

namespace StockNet.Security.Tests.Fuzzing;

/// <summary>
/// Generators of hostile requests for one service: its own route patterns with random path values (and junk paths),
/// random methods, headers and bodies: valid ones, truncated JSON, wrong types, huge numbers, unicode, nulls,
/// duplicate keys, deep nesting and, rarely, bodies up to 1 MB.
/// </summary>
public static class FuzzGen
{
    private static readonly string[] Stocks = ["GOOG", "IBM", "AMD", "NVDA", "MSFT", "APPL", "TSLA"];

    private static readonly Gen<string> Name = Gen.Frequency(
        (8, Gen.OneOf(Stocks)),
        (1, Gen.OneOf("", "ZZZZ", "GO.OG", "名前", "💥", "a b", "null", "-", new string('A', 300))),
        (1, Gen.Char["abcXYZ09_-.~!$'()*+,;=:@"].Array[1, 40].Select(chars => new string(chars))));

    private static readonly Gen<string> Number = Gen.Frequency(
        (4, Gen.Int[0, 20].Select(Text)),
        (1, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("-1", "-2", "2147483648", "9223372036854775808", "99999999999999999999999", "1.5", "1e400", "0x10", "")));

    /// <summary>A JSON value for a quantity-like field: mostly sensible, sometimes the wrong type or out of range.</summary>
    private static readonly Gen<string> JsonNumber = Gen.Frequency(
        (6, Gen.Int[1, 5].Select(Text)),
        (1, Gen.OneOf("0", "-1", "2147483648", "99999999999999999999", "1.5", "1e400", "-0", "\"3\"", "null", "true", "[]", "{}", "\"💥\"")));

    private static readonly Gen<string> JsonType = Gen.Frequency(
        (6, Gen.OneOf("\"buy\"", "\"sell\"")),
        (1, Gen.OneOf("\"hold\"", "\"BUY\"", "null", "1", "\"\"", "[\"buy\"]", "\"b\\u0000uy\"")));

    private static readonly Gen<string> JsonName = Gen.Frequency(
        (6, Name.Select(name => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")),
        (1, Gen.OneOf("null", "1", "[]", "{}", "\"\\ud800\"", "\"GOOG\\u0000\"")));

    public static Gen<FuzzRequest> For(IReadOnlyList<RouteEntry> routes, IReadOnlyList<string> peerUrls) =>
        Gen.Select(Target(routes), Gen.Bool, ContentType(), Gen.Frequency((9, Gen.Const<string?>((string?)null)), (1, Number.Select(n => (string?)n))))
            .SelectMany(t => Body(t.Item1.Path, peerUrls).Select(body => new FuzzRequest(t.Item1.Method, t.Item1.Path, body, t.Item2, t.Item3, t.Item4)));

    /// <summary>Mostly a real route with its own method; sometimes another method, or a path no route has.</summary>
    private static Gen<(string Method, string Path)> Target(IReadOnlyList<RouteEntry> routes)
    {
        var route = Gen.OneOf([.. routes]);
        var method = Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
        var path = route.SelectMany(r => Fill(r.Pattern).Select(p => (r.Method, p)));
        var query = Gen.Frequency(
            (8, Gen.Const("")),
            (2, Gen.Select(Number, Number, (after, limit) => $"?after={Uri.EscapeDataString(after)}&limit={Uri.EscapeDataString(limit)}")));
        return Gen.Frequency(
            (7, Gen.Select(path, query, (p, q) => (p.Method, p.p + q))),
            (2, Gen.Select(path, method, (p, m) => (m, p.p))),
            (1, Gen.Select(method, Name, Name, (m, a, b) => (m, "/" + Uri.EscapeDataString(a) + "/" + Uri.EscapeDataString(b)))));
    }

    private static Gen<string> Fill(string pattern)
    {
        var start = pattern.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return Gen.Const(pattern);
        }

        var end = pattern.IndexOf('}', start);
        var value = pattern[start..end].Contains("number", StringComparison.OrdinalIgnoreCase) || pattern[start..end].Contains("{n", StringComparison.Ordinal)
            ? Gen.Frequency((3, Number), (1, Name))
            : Gen.Frequency((3, Name), (1, Number));
        return Gen.Select(value, Fill(pattern[(end + 1)..]), (v, rest) => pattern[..start] + Uri.EscapeDataString(v) + rest);
    }

    private static Gen<string?> ContentType() =>
        Gen.Frequency((8, Gen.Const<string?>(MediaTypes.Json)), (1, Gen.Const<string?>((string?)null)), (1, Gen.OneOf<string?>("text/plain", "application/xml", "application/json; charset=latin1", "multipart/form-data")));

    private static Gen<string?> Body(string path, IReadOnlyList<string> peerUrls)
    {
        var valid = Valid(path, peerUrls);
        return Gen.Frequency(
            (10, valid.Select(v => (string?)v)),
            (2, Gen.Select(valid, Gen.Int[0, 99], (v, cut) => (string?)v[..(v.Length * cut / 100)])),
            (1, valid.Select(v => (string?)(v[..^1] + ",\"quantity\":4,\"type\":\"sell\",\"name\":\"IBM\"}"))),
            (1, Gen.OneOf<string?>(null, "", "null", "[]", "{}", "1", "\"x\"", "true", "{\"data\":null}", "{\"data\":[null]}", "\u00ff\u00fe", "{\"a\":}")),
            (1, Gen.Int[10, 1500].Select(depth => (string?)(new string('[', depth) + new string(']', depth)))),
            (1, Gen.Int[10, 600].Select(depth => (string?)(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)))),
            (1, Gen.OneOf("名前", "💥", "\\u0000", "\u202e", "𝔊𝔒𝔒𝔊").Select(s => (string?)$"{{\"name\":\"{s}\",\"type\":\"buy\",\"quantity\":1}}")),
            (1, Gen.Int[5 * 1024, 1024 * 1024].Select(size => (string?)("{\"name\":\"" + new string('x', size) + "\"}"))));
    }

    /// <summary>A well-formed body for the route the path names (fields random, keys traced).</summary>
    private static Gen<string> Valid(string path, IReadOnlyList<string> peerUrls)
    {
        var entry = Gen.Select(Gen.Long[0, 2_000_000], JsonName, JsonType, JsonNumber, Gen.Int[0, 5],
            (n, name, type, quantity, epoch) => $"{{\"transaction_number\":{n},\"name\":{name},\"type\":{type},\"quantity\":{quantity},\"idempotency_key\":\"{FuzzRequest.KeyMarker}\",\"epoch\":{epoch}}}");
        if (path.StartsWith("/replicate_orders", StringComparison.Ordinal))
        {
            return entry.Array[0, 4].Select(entries => "{\"data\":[" + string.Join(',', entries.Select((e, i) => e.Replace(FuzzRequest.KeyMarker, FuzzRequest.KeyMarker + "-" + i, StringComparison.Ordinal))) + "]}");
        }

        if (path.StartsWith("/replicate_order", StringComparison.Ordinal))
        {
            return entry;
        }

        if (path.StartsWith("/trades", StringComparison.Ordinal))
        {
            // The catalog's batch of trades: each with its own traced key (or none), sometimes a reserved number.
            var trade = Gen.Select(JsonName, JsonType, JsonNumber, Gen.Frequency((3, Gen.Const("")), (1, Number.Select(n => $",\"transaction_number\":{(n.Length == 0 ? "null" : n)}"))), Gen.Int[0, 5],
                (name, type, quantity, number, keyed) => $"{{\"name\":{name},\"type\":{type},\"quantity\":{quantity}{number}{(keyed == 0 ? "" : $",\"idempotency_key\":\"{FuzzRequest.KeyMarker}\"")}}}");
            return trade.Array[0, 5].Select(trades => "{\"data\":[" + string.Join(',', trades.Select((t, i) => t.Replace(FuzzRequest.KeyMarker, FuzzRequest.KeyMarker + "-" + i, StringComparison.Ordinal))) + "]}");
        }

        if (path.StartsWith("/set_leader", StringComparison.Ordinal))
        {
            var leader = Gen.Frequency((3, Gen.OneOf([.. peerUrls])), (1, Gen.OneOf("http://127.0.0.1:1", "not a url", "ftp://x", "")));
            return Gen.Select(leader, JsonNumber, (url, epoch) => $"{{\"leader_id\":\"{url}\",\"epoch\":{epoch}}}");
        }

        if (path.StartsWith("/invalidate", StringComparison.Ordinal))
        {
            return Gen.Select(JsonName, JsonNumber, (name, version) => $"{{\"name\":{name},\"version\":{version}}}");
        }

        if (path.StartsWith("/orders", StringComparison.Ordinal))
        {
            return Gen.Select(JsonName, JsonType, JsonNumber, (name, type, quantity) => $"{{\"name\":{name},\"type\":{type},\"quantity\":{quantity}}}");
        }

        return Gen.Select(JsonType, JsonNumber, (type, quantity) => $"{{\"type\":{type},\"quantity\":{quantity}}}");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
