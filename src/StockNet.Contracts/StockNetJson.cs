using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StockNet.Contracts;

/// <summary>
/// The one JSON setup of the contract, for the services' HTTP options and for every caller that writes or reads
/// wire records directly: snake_case keys, nulls left out, keys matched case-sensitively, numbers only as JSON
/// numbers, and quotes left readable in messages (<c>'name'</c>, not <c>\u0027name\u0027</c>).
/// </summary>
public static class StockNetJson
{
    /// <summary>The wire records with <see cref="Apply"/>'s settings; use it instead of <see cref="StockNetJsonContext.Default"/>.</summary>
    public static StockNetJsonContext Context { get; } = new(Apply(new JsonSerializerOptions()));

    /// <summary>Sets the contract's rules on <paramref name="options"/> (which may come with the web defaults).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;

        // Our bodies are read by programs, never embedded in HTML, so the HTML-safe escaping of the default
        // encoder buys nothing and makes every quoted name in a message unreadable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
