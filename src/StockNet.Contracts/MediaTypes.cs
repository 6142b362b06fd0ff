namespace StockNet.Contracts;

/// <summary>The media types of the wire contract's bodies, in one place beside <see cref="Routes"/>.</summary>
public static class MediaTypes
{
    /// <summary>Every body of the contract is JSON; a request's Content-Type must name it.</summary>
    public const string Json = System.Net.Mime.MediaTypeNames.Application.Json;

    /// <summary>
    /// The Content-Type a JSON body is sent and answered with, kept as its text: what ASP.NET Core writes for a JSON
    /// result, and what a body written by hand (a stream of entries, a serialized array) says so it reads the same.
    /// </summary>
    public const string JsonUtf8 = Json + "; charset=utf-8";
}
