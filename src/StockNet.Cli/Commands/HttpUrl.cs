using System.Diagnostics.CodeAnalysis;

namespace StockNet.Cli.Commands;

/// <summary>A URL a command takes on its command line: absolute, http or https, and the one sentence that refuses anything else.</summary>
internal static class HttpUrl
{
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    public static string Refusal(string? text) => $"'{text}' is not an http:// or https:// URL.";
}
