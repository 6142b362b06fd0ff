using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StockNet.Contracts;

namespace StockNet.Hosting;

/*
 * Turns the framework's refusal of a request body into one sentence of the contract. Minimal APIs report a body
 * that System.Text.Json could not read as a BadHttpRequestException around a JsonException whose message names
 * .NET types ("could not be converted to StockNet.Contracts.TradeRequest"); that message never reaches a client.
 * The sentence is built from the JSON path and the endpoint's body type instead: an unknown key, a value of the
 * wrong kind for a known one, a missing required one, or a body that is not a JSON object at all.
 */
internal static class BodyErrors
{
    public static string Describe(BadHttpRequestException exception, HttpContext context)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(context);
        }

        if (exception.InnerException is not JsonException json)
        {
            // Minimal APIs say "no body was provided" both for an empty body and for the JSON literal null.
            return context.Request.ContentLength is 0 or null || exception.Message.Contains("no body", StringComparison.Ordinal)
                ? "The request body is empty: send a JSON object."
                : "The request could not be read.";
        }

        var body = BodyType(context);
        return body is null ? "The request body is not valid JSON." : Describe(json, body);
    }

    /// <summary>
    /// The sentence of a 413, with the limit of the route it was sent to (most take 4 KB, a few more). Minimal APIs
    /// answer a body past Kestrel's limit with a bare 413 of their own, which the error middleware completes with this.
    /// </summary>
    public static string TooLarge(HttpContext context) =>
        $"The request body is larger than the limit of {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? Limits.MaxRequestBodyBytes} bytes.";

    private static string Describe(JsonException json, JsonTypeInfo body)
    {
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) && path.IndexOfAny(['.', '['], 2) < 0
            ? path[2..]
            : null;
        if (field is not null)
        {
            var property = body.Properties.FirstOrDefault(p => p.Name == field);
            return property is null ? $"Unknown field '{Shorten(field)}'." : $"The field '{field}' must be {Expected(property)}.";
        }

        var required = body.Properties.Where(p => p.IsRequired).Select(p => p.Name).ToList();
        var missing = required.Where(name => json.Message.Contains($"'{name}'", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            return missing.Count == 1
                ? $"The field '{missing[0]}' is required."
                : $"The fields {string.Join(" and ", missing.Select(name => $"'{name}'"))} are required.";
        }

        // A syntax error comes from the reader, wrapped; a body of the wrong shape ([], "GOOG") is the serializer's own.
        return json.InnerException is JsonException
            ? "The request body is not valid JSON."
            : $"The request body must be a JSON object with the fields {string.Join(", ", body.Properties.Select(p => $"'{p.Name}'"))}.";
    }

    // What a value of the property's type looks like on the wire: the enum's own JSON spellings, or a kind of value.
    private static string Expected(JsonPropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type.IsEnum)
        {
            var options = property.Options;
            var names = Enum.GetValues(type).Cast<object>().Select(value => JsonSerializer.Serialize(value, type, options));
            return "one of " + string.Join(", ", names);
        }

        return type == typeof(string) ? "a string"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : "a value of the right kind";
    }

    private static JsonTypeInfo? BodyType(HttpContext context)
    {
        var type = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return type is null ? null : options.GetTypeInfo(type);
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
